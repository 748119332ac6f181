CREATE TABLE `custom_scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_hash` text NOT NULL,
	`scenario_id` text NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `custom_scenarios_owner_idx` ON `custom_scenarios` (`owner_hash`,`updated_at`);--> statement-breakpoint
ALTER TABLE `labs` ADD `scenario_json` text;
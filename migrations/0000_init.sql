CREATE TABLE `events` (
	`lab_id` text NOT NULL,
	`team_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at_ms` integer NOT NULL,
	`type` text NOT NULL,
	`node` text,
	`data_json` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`lab_id`, `team_id`, `seq`),
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `labs` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`scenario_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'lobby' NOT NULL,
	`options_json` text DEFAULT '{}' NOT NULL,
	`teacher_secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `labs_code_unique` ON `labs` (`code`);--> statement-breakpoint
CREATE TABLE `scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lab_id` text NOT NULL,
	`team_id` text NOT NULL,
	`seat_id` text,
	`kind` text NOT NULL,
	`points` real NOT NULL,
	`detail_json` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scores_lab_team_idx` ON `scores` (`lab_id`,`team_id`);--> statement-breakpoint
CREATE TABLE `seats` (
	`id` text PRIMARY KEY NOT NULL,
	`lab_id` text NOT NULL,
	`team_id` text NOT NULL,
	`node_name` text NOT NULL,
	`role` text NOT NULL,
	`student_name` text NOT NULL,
	`token_hash` text NOT NULL,
	`joined_at` integer NOT NULL,
	`kicked` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `seats_lab_team_idx` ON `seats` (`lab_id`,`team_id`);--> statement-breakpoint
CREATE INDEX `seats_token_idx` ON `seats` (`token_hash`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`lab_id` text NOT NULL,
	`name` text NOT NULL,
	`idx` integer NOT NULL,
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `teams_lab_idx` ON `teams` (`lab_id`,`idx`);
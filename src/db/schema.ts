/**
 * D1 schema: what outlives a lab's live phase (labs, teams, seats, the flushed
 * event log, scores). Times are Unix epoch milliseconds. Edit this file, then
 * run `npm run db:generate` to write a new migration into migrations/.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PROJECTOR_MODES } from "../protocol/projector";
export type { ProjectorMode } from "../protocol/projector";

export const LAB_STATUSES = ["lobby", "running", "paused", "ended"] as const;
export type LabStatus = (typeof LAB_STATUSES)[number];

export const SEAT_ROLES = ["node", "qdevice"] as const;
export type SeatRole = (typeof SEAT_ROLES)[number];

export const labs = sqliteTable("labs", {
  id: text("id").primaryKey(),
  code: text("code").notNull().unique(),
  scenarioId: text("scenario_id").notNull(),
  title: text("title").notNull(),
  status: text("status", { enum: LAB_STATUSES }).notNull().default("lobby"),
  optionsJson: text("options_json").notNull().default("{}"),
  teacherSecretHash: text("teacher_secret_hash").notNull(),
  /** a teacher's own scenario, frozen as JSON when the lab was created (null: a preset, by scenarioId) */
  scenarioJson: text("scenario_json"),
  createdAt: integer("created_at").notNull(),
  startedAt: integer("started_at"),
  endedAt: integer("ended_at"),
});

export const teams = sqliteTable(
  "teams",
  {
    id: text("id").primaryKey(),
    labId: text("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    idx: integer("idx").notNull(),
  },
  (t) => [index("teams_lab_idx").on(t.labId, t.idx)],
);

export const seats = sqliteTable(
  "seats",
  {
    id: text("id").primaryKey(),
    labId: text("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    nodeName: text("node_name").notNull(),
    role: text("role", { enum: SEAT_ROLES }).notNull(),
    studentName: text("student_name").notNull(),
    /** student number or e-mail asked at join when the lab wants one (gradebook key column) */
    studentId: text("student_id"),
    tokenHash: text("token_hash").notNull(),
    joinedAt: integer("joined_at").notNull(),
    kicked: integer("kicked").notNull().default(0),
  },
  (t) => [index("seats_lab_team_idx").on(t.labId, t.teamId), index("seats_token_idx").on(t.tokenHash)],
);

/** Flushed event log. The composite key makes re-flushing a batch a no-op (INSERT OR IGNORE). */
export const events = sqliteTable(
  "events",
  {
    labId: text("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
    seq: integer("seq").notNull(),
    atMs: integer("at_ms").notNull(),
    type: text("type").notNull(),
    node: text("node"),
    dataJson: text("data_json").notNull().default("{}"),
  },
  (t) => [primaryKey({ columns: [t.labId, t.teamId, t.seq] })],
);

/**
 * Score lines. seat_id is null for team-level lines, so it cannot sit in a primary key;
 * a lab's scores are rewritten as a whole (delete by lab_id, then insert) inside one batch.
 */
export const scores = sqliteTable(
  "scores",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    labId: text("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
    seatId: text("seat_id"),
    kind: text("kind").notNull(),
    points: real("points").notNull(),
    detailJson: text("detail_json").notNull().default("{}"),
  },
  (t) => [index("scores_lab_team_idx").on(t.labId, t.teamId)],
);

/** Scenarios a teacher wrote (docs/scenarios.md), kept per instructor key: the text as typed, so
 * the editor gives it back unchanged. A lab copies the checked scenario into labs.scenario_json. */
export const customScenarios = sqliteTable(
  "custom_scenarios",
  {
    /** "custom-" + 16 hex: the id a lab is created with */
    id: text("id").primaryKey(),
    /** sha256 of the instructor key that saved it */
    ownerHash: text("owner_hash").notNull(),
    /** the file's own `id` and French title, for the list */
    scenarioId: text("scenario_id").notNull(),
    title: text("title").notNull(),
    source: text("source").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("custom_scenarios_owner_idx").on(t.ownerHash, t.updatedAt)],
);

export type Lab = typeof labs.$inferSelect;
export type NewLab = typeof labs.$inferInsert;
export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
export type Seat = typeof seats.$inferSelect;
export type NewSeat = typeof seats.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
export type CustomScenarioRow = typeof customScenarios.$inferSelect;
export type ScoreRow = typeof scores.$inferSelect;
export type NewScoreRow = typeof scores.$inferInsert;

/**
 * The engine's inputs per team (src/rooms/input-log.ts), flushed from the room like the events: a
 * replay re-runs createCluster + step over them (src/reports/rerun.ts). One row per tick with the
 * heartbeats heard before it, one per other input; `seq` is the row's number in the team's log.
 */
export const inputs = sqliteTable(
  "inputs",
  {
    labId: text("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
    seq: integer("seq").notNull(),
    atMs: integer("at_ms").notNull(),
    dataJson: text("data_json").notNull(),
  },
  (t) => [primaryKey({ columns: [t.labId, t.teamId, t.seq] })],
);
export type InputRow = typeof inputs.$inferSelect;

/** What the lab's projector shows (src/api/projector.ts): set from the dashboard, read by the
 * projector page on its own device. No row: the lobby. */
export const projector = sqliteTable("projector", {
  labId: text("lab_id")
    .primaryKey()
    .references(() => labs.id, { onDelete: "cascade" }),
  mode: text("mode", { enum: PROJECTOR_MODES }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

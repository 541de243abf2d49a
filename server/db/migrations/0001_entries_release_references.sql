CREATE TABLE `cell_bases` (
	`kpi_id` text NOT NULL,
	`period` text NOT NULL,
	`dimension_key` text NOT NULL,
	`value` real,
	`had_value` integer NOT NULL,
	`status` text,
	`source_kind` text,
	`source_ref` text,
	PRIMARY KEY(`kpi_id`, `period`, `dimension_key`)
);
--> statement-breakpoint
CREATE TABLE `course_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`district_id` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `entry_cells` (
	`entry_id` text NOT NULL,
	`kpi_id` text NOT NULL,
	`period` text NOT NULL,
	`dimension_key` text NOT NULL,
	`value` real,
	`mode` text NOT NULL,
	PRIMARY KEY(`entry_id`, `kpi_id`, `period`, `dimension_key`),
	FOREIGN KEY (`entry_id`) REFERENCES `form_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `entry_cells_cell` ON `entry_cells` (`kpi_id`,`period`,`dimension_key`);--> statement-breakpoint
CREATE TABLE `preview_observations` (
	`kpi_id` text NOT NULL,
	`period` text NOT NULL,
	`dimension_key` text NOT NULL,
	`value` real,
	`removed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`kpi_id`, `period`, `dimension_key`)
);
--> statement-breakpoint
ALTER TABLE `districts` ADD `active` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `districts` ADD `updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `record_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `entry_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `state` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `reviewed_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `form_entries` ADD `reviewed_at` text;--> statement-breakpoint
ALTER TABLE `form_entries` ADD `review_note` text;--> statement-breakpoint
CREATE INDEX `form_entries_record` ON `form_entries` (`record_id`,`version`);--> statement-breakpoint
CREATE INDEX `form_entries_key` ON `form_entries` (`form_id`,`entry_key`);--> statement-breakpoint
CREATE INDEX `form_entries_area_state` ON `form_entries` (`area_id`,`state`);--> statement-breakpoint
ALTER TABLE `snapshots` ADD `internal_payload` text;--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user` ON `audit_log` (`user_id`,`at`);--> statement-breakpoint
-- Entries received before four-eyes release existed were applied at once: each is its own record, released.
UPDATE `form_entries` SET `record_id` = `id`, `state` = 'released' WHERE `record_id` = '';--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

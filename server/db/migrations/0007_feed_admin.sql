CREATE TABLE `feed_definition_versions` (
	`feed_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`saved_at` text NOT NULL,
	`saved_by` text,
	PRIMARY KEY(`feed_id`, `version`),
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `feed_run_changes` (
	`run_id` text NOT NULL,
	`target` text NOT NULL,
	`change` text NOT NULL,
	`kpi_id` text NOT NULL,
	`period` text NOT NULL,
	`dimension_key` text NOT NULL,
	`old_had_value` integer NOT NULL,
	`old_value` real,
	`old_status` text,
	`old_source_kind` text,
	`old_source_ref` text,
	`old_changed_at` text
);
--> statement-breakpoint
CREATE INDEX `feed_run_changes_run` ON `feed_run_changes` (`run_id`);--> statement-breakpoint
ALTER TABLE `feed_runs` ADD `definition_version` integer;--> statement-breakpoint
ALTER TABLE `feed_runs` ADD `taken_back_at` text;--> statement-breakpoint
ALTER TABLE `feed_runs` ADD `taken_back_by` text;--> statement-breakpoint
ALTER TABLE `feeds` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `feeds` ADD `active` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- The definitions stored so far become version 1 of their feeds.
INSERT INTO `feed_definition_versions` (`feed_id`, `version`, `definition`, `saved_at`, `saved_by`)
SELECT `id`, 1, `definition`, `updated_at`, NULL FROM `feeds`;

CREATE TABLE `feed_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`feed_id` text NOT NULL,
	`status` text NOT NULL,
	`origin` text NOT NULL,
	`user_id` text,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`file_name` text NOT NULL,
	`file_bytes` integer NOT NULL,
	`file_sha256` text NOT NULL,
	`rows_read` integer NOT NULL,
	`rows_accepted` integer NOT NULL,
	`rows_unchanged` integer NOT NULL,
	`rows_rejected` integer NOT NULL,
	`rows_skipped` integer NOT NULL,
	`values_missing` integer NOT NULL,
	`values_suppressed` integer NOT NULL,
	`observations_created` integer NOT NULL,
	`observations_updated` integer NOT NULL,
	`kpis_changed` text NOT NULL,
	`errors` text NOT NULL,
	`summary` text NOT NULL,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `feed_runs_feed` ON `feed_runs` (`feed_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `feed_runs_started` ON `feed_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`owner_department` text NOT NULL,
	`cadence` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);

CREATE TABLE `areas` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`sort_order` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`old_value` text,
	`new_value` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`op` text NOT NULL,
	`area_id` text NOT NULL,
	`visibility` text NOT NULL,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`nonce` text DEFAULT (lower(hex(randomblob(8)))) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `change_log_entity` ON `change_log` (`entity`,`entity_id`,`seq`);--> statement-breakpoint
CREATE TABLE `districts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `facilities` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`district_id` text NOT NULL,
	`capacity` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `form_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` text NOT NULL,
	`area_id` text NOT NULL,
	`author_id` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `form_entries_author` ON `form_entries` (`author_id`);--> statement-breakpoint
CREATE TABLE `kpi_definitions` (
	`id` text PRIMARY KEY NOT NULL,
	`area_id` text NOT NULL,
	`title` text NOT NULL,
	`short_title` text NOT NULL,
	`description` text NOT NULL,
	`method` text NOT NULL,
	`unit` text NOT NULL,
	`number_format` text NOT NULL,
	`decimals` integer NOT NULL,
	`direction` text NOT NULL,
	`target` real,
	`threshold_amber` real,
	`threshold_red` real,
	`cadence` text NOT NULL,
	`grace_days` integer NOT NULL,
	`dimensions` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_name` text NOT NULL,
	`owner_department` text NOT NULL,
	`owner_contact` text NOT NULL,
	`owner_email` text,
	`visibility` text NOT NULL,
	`disclosure_min_count` integer NOT NULL,
	`tags` text NOT NULL,
	`sort_order` integer NOT NULL,
	`aggregation` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kpi_definitions_area` ON `kpi_definitions` (`area_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kpi_id` text NOT NULL,
	`period` text NOT NULL,
	`dimension_key` text NOT NULL,
	`value` real,
	`status` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_ref` text,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`kpi_id`) REFERENCES `kpi_definitions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `observations_key` ON `observations` (`kpi_id`,`period`,`dimension_key`);--> statement-breakpoint
CREATE TABLE `processed_entries` (
	`entry_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`processed_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`kpi_id` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	`computed_at` text NOT NULL,
	FOREIGN KEY (`kpi_id`) REFERENCES `kpi_definitions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`areas` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);
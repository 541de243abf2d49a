PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_kpi_definitions` (
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
	`formula` text NOT NULL,
	`view` text DEFAULT '{"kind":"line"}' NOT NULL,
	`comparison` text DEFAULT '{"kind":"previous_period"}' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_kpi_definitions`("id", "area_id", "title", "short_title", "description", "method", "unit", "number_format", "decimals", "direction", "target", "threshold_amber", "threshold_red", "cadence", "grace_days", "dimensions", "source_kind", "source_name", "owner_department", "owner_contact", "owner_email", "visibility", "disclosure_min_count", "tags", "sort_order", "formula", "view", "comparison", "active", "updated_at") SELECT "id", "area_id", "title", "short_title", "description", "method", "unit", "number_format", "decimals", "direction", "target", "threshold_amber", "threshold_red", "cadence", "grace_days", "dimensions", "source_kind", "source_name", "owner_department", "owner_contact", "owner_email", "visibility", "disclosure_min_count", "tags", "sort_order", "formula", "view", "comparison", "active", "updated_at" FROM `kpi_definitions`;--> statement-breakpoint
DROP TABLE `kpi_definitions`;--> statement-breakpoint
ALTER TABLE `__new_kpi_definitions` RENAME TO `kpi_definitions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `kpi_definitions_area` ON `kpi_definitions` (`area_id`);
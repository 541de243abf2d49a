CREATE TABLE `dimensions` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`members` text DEFAULT '[]' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `areas` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `areas` ADD `open_data_theme` text;--> statement-breakpoint
ALTER TABLE `kpi_definitions` ADD `formula` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpi_definitions` ADD `view` text DEFAULT '{"kind":"line"}' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpi_definitions` ADD `comparison` text DEFAULT '{"kind":"previous_period"}' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpi_definitions` ADD `active` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- The stored catalogue's aggregation strings become typed formulas: `flow`, `stock` and `ytd`
-- stay accumulations, `ratio:a/b` (a percentage) becomes `share`, `difference:a-b` becomes
-- `difference` (split at the first hyphen: KLAR's ids before this migration had none).
UPDATE `kpi_definitions` SET `formula` = json_object('kind', `aggregation`) WHERE `aggregation` IN ('flow', 'stock', 'ytd');--> statement-breakpoint
UPDATE `kpi_definitions` SET `formula` = json_object('kind', 'share', 'inputs', json_array(substr(`aggregation`, 7, instr(`aggregation`, '/') - 7), substr(`aggregation`, instr(`aggregation`, '/') + 1))) WHERE `aggregation` LIKE 'ratio:%';--> statement-breakpoint
UPDATE `kpi_definitions` SET `formula` = json_object('kind', 'difference', 'inputs', json_array(substr(`aggregation`, 12, instr(substr(`aggregation`, 12), '-') - 1), substr(`aggregation`, 11 + instr(substr(`aggregation`, 12), '-') + 1))) WHERE `aggregation` LIKE 'difference:%';--> statement-breakpoint
-- Every dimension the stored KPIs use becomes a catalogue dimension; the reference lists by
-- their source, the others open (their labels come with the next catalogue file).
INSERT INTO `dimensions` (`id`, `title`, `source`, `sort_order`)
SELECT DISTINCT `d`.`value`,
	CASE `d`.`value` WHEN 'district' THEN 'Ortsbezirk' WHEN 'facility' THEN 'Einrichtung' ELSE `d`.`value` END,
	CASE `d`.`value` WHEN 'district' THEN 'districts' WHEN 'facility' THEN 'facilities' ELSE 'open' END,
	0
FROM `kpi_definitions`, json_each(`kpi_definitions`.`dimensions`) AS `d`;

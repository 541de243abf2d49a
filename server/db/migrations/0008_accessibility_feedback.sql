CREATE TABLE `feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` text NOT NULL,
	`written_at` text NOT NULL,
	`text` text NOT NULL,
	`page` text NOT NULL,
	`contact_email` text NOT NULL,
	`contact_name` text NOT NULL,
	`author_id` text,
	`state` text NOT NULL,
	`state_changed_at` text,
	`state_changed_by` text,
	`note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state_changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `feedback_received` ON `feedback` (`received_at`);--> statement-breakpoint
CREATE INDEX `feedback_state` ON `feedback` (`state`,`received_at`);--> statement-breakpoint
CREATE TABLE `request_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`count` integer NOT NULL
);

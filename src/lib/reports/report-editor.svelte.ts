import { ReportContentV1, type Report, type ReportContent, type ReportItem } from '#shared/reports';
import { addKpis, moveItem, removeItem, updateItem } from './report-model';

export interface ReportErrors {
	title?: string;
	meetingDate?: string;
	items?: string;
	/** Messages beside the notes, by KPI id. */
	notes: Record<string, string>;
}

/**
 * The report on `/bericht/[id]`: what the author types, checked on every change and saved on
 * the device when it passes. Content that breaks a rule (an empty title) is kept on the screen
 * with its message and not saved, so the stored report stays valid and nothing typed is lost.
 */
export class ReportEditor {
	title = $state('');
	meetingDate = $state('');
	items = $state<ReportItem[]>([]);
	errors = $state<ReportErrors>({ notes: {} });
	/** When the last change reached the device's storage. */
	savedAt = $state<string | null>(null);
	saveError = $state('');

	constructor(
		report: Report,
		private readonly save: (content: ReportContent) => Promise<Report>
	) {
		this.title = report.title;
		this.meetingDate = report.meetingDate;
		this.items = report.items.map((item) => ({ ...item }));
		this.savedAt = report.updatedAt;
	}

	content(): ReportContent {
		return {
			title: this.title,
			meetingDate: this.meetingDate,
			items: this.items.map((item) => ({ ...item }))
		};
	}

	/** The content when it passes the rules, else null (the messages say why). */
	valid(): ReportContent | null {
		const parsed = ReportContentV1.safeParse(this.content());
		return parsed.success ? parsed.data : null;
	}

	private check(): ReportContent | null {
		const parsed = ReportContentV1.safeParse(this.content());
		const errors: ReportErrors = { notes: {} };
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const [field, index, part] = issue.path;
				if (field === 'title') errors.title ??= issue.message;
				else if (field === 'meetingDate') errors.meetingDate ??= issue.message;
				else if (field === 'items' && typeof index === 'number' && part === 'note') {
					const kpiId = this.items[index]?.kpiId;
					if (kpiId) errors.notes[kpiId] ??= issue.message;
				} else errors.items ??= issue.message;
			}
		}
		this.errors = errors;
		return parsed.success ? parsed.data : null;
	}

	/** Checks and, when the content passes, saves it. */
	async commit(): Promise<void> {
		const content = this.check();
		if (!content) return;
		try {
			const saved = await this.save(content);
			this.savedAt = saved.updatedAt;
			this.saveError = '';
		} catch (error) {
			console.error('Saving the report failed', error);
			this.saveError =
				'Der Bericht konnte auf diesem Gerät nicht gespeichert werden (ist der Speicher voll?). Ihre Eingaben stehen noch hier.';
		}
	}

	async move(index: number, step: -1 | 1): Promise<void> {
		this.items = moveItem(this.items, index, step);
		await this.commit();
	}

	async remove(index: number): Promise<void> {
		this.items = removeItem(this.items, index);
		await this.commit();
	}

	/** Adds KPIs at the end; returns how many were added and how many did not fit. */
	async add(kpiIds: readonly string[]): Promise<{ added: number; skipped: number }> {
		const result = addKpis(this.items, kpiIds);
		this.items = result.items;
		await this.commit();
		return { added: result.added, skipped: result.skipped };
	}

	async setNote(index: number, note: string): Promise<void> {
		this.items = updateItem(this.items, index, { note });
		await this.commit();
	}

	async setPageBreak(index: number, pageBreakBefore: boolean): Promise<void> {
		this.items = updateItem(this.items, index, { pageBreakBefore });
		await this.commit();
	}
}

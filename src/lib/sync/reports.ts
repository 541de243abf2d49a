import { ReportContentV1, type Report, type ReportContent } from '#shared/reports';
import type { KlarDatabase } from './db';
import { newEntryId } from './outbox';

/**
 * Committee reports on the device, per author like pins: they never go to the server (a share
 * link carries one to a colleague), and one person's reports are not another's on a shared
 * device. A logout removes them with the figures; an expired session keeps them for the same
 * person's next login (see wipeDeviceData).
 */

/** This author's reports, the one changed last first. */
export async function reportsOf(db: KlarDatabase, userId: string): Promise<Report[]> {
	const reports = await db.reports.where('userId').equals(userId).toArray();
	return reports.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function readReport(
	db: KlarDatabase,
	userId: string,
	id: string
): Promise<Report | undefined> {
	return db.reports.get([userId, id]);
}

/** crypto.randomUUID needs a secure context; the app also runs over plain http in a LAN. */
function newReportId(): string {
	return newEntryId();
}

/** Stores a new report of the author; the content must pass the report's rules. */
export async function createReport(
	db: KlarDatabase,
	userId: string,
	content: ReportContent,
	now = new Date()
): Promise<Report> {
	const checked = ReportContentV1.parse(content);
	const report: Report = {
		...checked,
		id: newReportId(),
		userId,
		createdAt: now.toISOString(),
		updatedAt: now.toISOString()
	};
	await db.reports.add(report);
	return report;
}

/**
 * Replaces the content of the author's report. Refuses content that breaks the rules (the
 * editor shows why) and a report that is not this author's.
 */
export async function saveReport(
	db: KlarDatabase,
	userId: string,
	id: string,
	content: ReportContent,
	now = new Date()
): Promise<Report> {
	const checked = ReportContentV1.parse(content);
	return db.transaction('rw', db.reports, async () => {
		const existing = await db.reports.get([userId, id]);
		if (!existing) throw new Error(`No report ${id} of user ${userId} on this device`);
		const report: Report = { ...existing, ...checked, updatedAt: now.toISOString() };
		await db.reports.put(report);
		return report;
	});
}

export async function deleteReport(db: KlarDatabase, userId: string, id: string): Promise<void> {
	await db.reports.delete([userId, id]);
}

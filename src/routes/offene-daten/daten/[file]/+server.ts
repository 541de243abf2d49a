import type { RequestHandler } from './$types';
import { getDatabase } from '#server/db/connection';
import { systemClock } from '#server/clock';
import { seriesResponse } from '#server/open-data/http';
import { parseOpenDataFileName } from '#shared/open-data';

/** A public KPI's released series as a CSV or JSON download (`<kpiId>.csv`, `<kpiId>.json`). */
export const GET: RequestHandler = ({ params }) => {
	const file = parseOpenDataFileName(params.file);
	if (!file) return new Response('Nicht gefunden', { status: 404 });
	return seriesResponse(getDatabase(), file.kpiId, file.format, systemClock());
};

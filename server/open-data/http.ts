import type { DbOrTx } from '#server/db/connection';
import { citySettings } from '#server/city-settings';
import { openDataCsv } from '#shared/open-data';
import { openDataIndex, openDataSeries } from './datasets';
import { openDataCatalogue, publicOrigin, toJsonLd, toTurtle } from './dcat';

/**
 * The open-data files as HTTP responses, for the thin routes under /offene-daten. Public and
 * the same for everyone, so browsers and proxies may keep them a short while; the figures
 * change at most with the next feed run or release.
 */
const CACHE_CONTROL = 'public, max-age=300';

function file(body: string, contentType: string, download?: string): Response {
	const headers: Record<string, string> = {
		'Content-Type': contentType,
		'Cache-Control': CACHE_CONTROL,
		'X-Content-Type-Options': 'nosniff',
		// Open data for other sites' scripts too: the answer is the same for everyone, no cookie counts.
		'Access-Control-Allow-Origin': '*'
	};
	if (download) headers['Content-Disposition'] = `attachment; filename="${download}"`;
	return new Response(body, { headers });
}

const notFound = () =>
	new Response('Diesen Datensatz gibt es nicht oder er ist nicht als offene Daten freigegeben.', {
		status: 404,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
	});

export function indexResponse(db: DbOrTx, now: Date): Response {
	return file(
		JSON.stringify(openDataIndex(db, now, citySettings())),
		'application/json; charset=utf-8'
	);
}

/** `klar_bev.einwohner.csv`: the id holds only lower-case letters, digits, `.`, `_` and `-`. */
const fileName = (kpiId: string, format: 'csv' | 'json') => `klar_${kpiId}.${format}`;

export function seriesResponse(
	db: DbOrTx,
	kpiId: string,
	format: 'csv' | 'json',
	now: Date
): Response {
	const series = openDataSeries(db, kpiId, now, citySettings());
	if (!series) return notFound();
	return format === 'csv'
		? file(openDataCsv(series), 'text/csv; charset=utf-8', fileName(series.kpi.id, 'csv'))
		: file(
				JSON.stringify(series, null, 1),
				'application/json; charset=utf-8',
				fileName(series.kpi.id, 'json')
			);
}

export async function catalogueResponse(
	db: DbOrTx,
	requestOrigin: string,
	format: 'turtle' | 'jsonld',
	now: Date
): Promise<Response> {
	const { quads } = openDataCatalogue(db, publicOrigin(requestOrigin), now, citySettings());
	return format === 'turtle'
		? file(await toTurtle(quads), 'text/turtle; charset=utf-8')
		: file(JSON.stringify(await toJsonLd(quads), null, 1), 'application/ld+json; charset=utf-8');
}

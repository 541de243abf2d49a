import type { RequestHandler } from './$types';
import { getDatabase } from '#server/db/connection';
import { systemClock } from '#server/clock';
import { catalogueResponse } from '#server/open-data/http';

/** The DCAT-AP.de catalogue of the open data, in JSON-LD. */
export const GET: RequestHandler = ({ url }) =>
	catalogueResponse(getDatabase(), url.origin, 'jsonld', systemClock());

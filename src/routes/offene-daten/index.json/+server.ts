import type { RequestHandler } from './$types';
import { getDatabase } from '#server/db/connection';
import { systemClock } from '#server/clock';
import { indexResponse } from '#server/open-data/http';

/** What the open-data page reads: every public KPI with its latest released value. */
export const GET: RequestHandler = () => indexResponse(getDatabase(), systemClock());

import type { ServerInit } from '@sveltejs/kit';
import { getDatabase } from '$server/db/connection';

// Open the database and apply migrations before the first request; a database with a foreign
// migration history stops the server here instead of failing later.
export const init: ServerInit = () => {
	getDatabase();
};

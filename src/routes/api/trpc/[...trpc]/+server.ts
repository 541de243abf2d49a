import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { getDatabase } from '#server/db/connection';
import { appRouter } from '#server/trpc/router';
import { createRequestContext } from '#server/trpc/context';
import { systemClock } from '#server/clock';

const handle: RequestHandler = ({ request, locals, getClientAddress }) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: request,
		router: appRouter,
		createContext: ({ resHeaders }) =>
			createRequestContext(
				getDatabase(),
				systemClock,
				{
					principal: locals.principal,
					sessionToken: locals.sessionToken,
					https: locals.https,
					clientAddress: getClientAddress()
				},
				resHeaders
			),
		onError({ error, path }) {
			// What the browser does not get (it sees the German message): the developer's reason.
			if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path}:`, error);
			else if (error.code !== 'UNAUTHORIZED')
				console.warn(`tRPC ${path} ${error.code}: ${error.message}`);
		}
	});

export const GET = handle;
export const POST = handle;

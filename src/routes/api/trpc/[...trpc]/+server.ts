import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { getDatabase } from '$server/db/connection';
import { appRouter } from '$server/trpc/router';
import { createRequestContext } from '$server/trpc/context';

const handle: RequestHandler = ({ request, locals, getClientAddress }) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: request,
		router: appRouter,
		createContext: ({ resHeaders }) =>
			createRequestContext(
				getDatabase(),
				{
					principal: locals.principal,
					sessionToken: locals.sessionToken,
					https: locals.https,
					clientAddress: getClientAddress()
				},
				resHeaders
			),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path}:`, error);
		}
	});

export const GET = handle;
export const POST = handle;

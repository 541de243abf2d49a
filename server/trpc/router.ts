import { authRouter } from './auth-router';
import { entriesRouter } from './entries-router';
import { syncRouter } from './sync-router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	sync: syncRouter,
	entries: entriesRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

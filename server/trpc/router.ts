import { authRouter } from './auth-router';
import { syncRouter } from './sync-router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	sync: syncRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

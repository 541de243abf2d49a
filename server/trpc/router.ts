import { auditRouter } from './audit-router';
import { authRouter } from './auth-router';
import { catalogueRouter } from './catalogue-router';
import { cityRouter } from './city-router';
import { entriesRouter } from './entries-router';
import { feedbackRouter } from './feedback-router';
import { feedsRouter, qualityRouter } from './feeds-router';
import { openDataRouter } from './open-data-router';
import { kpisRouter } from './kpis-router';
import { referenceRouter } from './reference-router';
import { syncRouter } from './sync-router';
import { usersRouter } from './users-router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	sync: syncRouter,
	entries: entriesRouter,
	reference: referenceRouter,
	audit: auditRouter,
	feeds: feedsRouter,
	quality: qualityRouter,
	users: usersRouter,
	catalogue: catalogueRouter,
	openData: openDataRouter,
	kpis: kpisRouter,
	city: cityRouter,
	feedback: feedbackRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

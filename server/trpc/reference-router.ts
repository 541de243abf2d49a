import {
	listDistricts,
	listFacilities,
	listProviders,
	saveDistrict,
	saveFacility,
	saveProvider
} from '../reference/lists';
import { canAdminister } from '../../src/lib/shared/permissions';
import { DistrictDraft, FacilityDraft, ProviderDraft } from '../../src/lib/shared/reference';
import { authedProcedure, klarError, router } from './init';

/**
 * Procedures only the central controlling may call. The check runs before the input is parsed,
 * so anyone else learns nothing about what a valid request would look like.
 */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
	if (!canAdminister(ctx.principal)) {
		throw klarError(
			'FORBIDDEN',
			'Only administrators maintain reference lists and read the audit log',
			'Sie haben keine Berechtigung für die Verwaltung. Sie ist dem Zentralcontrolling vorbehalten.'
		);
	}
	return next();
});

/**
 * Reference lists for the admin pages, inactive entries included. A refused save answers
 * `{ ok: false, fieldErrors }` with German messages per field (the form shows them inline).
 */
export const referenceRouter = router({
	districts: adminProcedure.query(({ ctx }) => listDistricts(ctx.db)),
	facilities: adminProcedure.query(({ ctx }) => listFacilities(ctx.db)),
	providers: adminProcedure.query(({ ctx }) => listProviders(ctx.db)),
	saveDistrict: adminProcedure
		.input(DistrictDraft)
		.mutation(({ ctx, input }) => saveDistrict(ctx.db, ctx.principal, input)),
	saveFacility: adminProcedure
		.input(FacilityDraft)
		.mutation(({ ctx, input }) => saveFacility(ctx.db, ctx.principal, input)),
	saveProvider: adminProcedure
		.input(ProviderDraft)
		.mutation(({ ctx, input }) => saveProvider(ctx.db, ctx.principal, input))
});

import {
	listDistricts,
	listFacilities,
	listProviders,
	saveDistrict,
	saveFacility,
	saveProvider
} from '#server/reference/lists';
import { DistrictDraft, FacilityDraft, ProviderDraft } from '#shared/reference';
import { authedProcedure, router } from './init';

/**
 * Reference lists for the admin pages (admins only, by the permission table PROCEDURE_ACCESS), inactive entries included. A refused save answers
 * `{ ok: false, fieldErrors }` with German messages per field (the form shows them inline).
 */
export const referenceRouter = router({
	districts: authedProcedure.query(({ ctx }) => listDistricts(ctx.db)),
	facilities: authedProcedure.query(({ ctx }) => listFacilities(ctx.db)),
	providers: authedProcedure.query(({ ctx }) => listProviders(ctx.db)),
	saveDistrict: authedProcedure
		.input(DistrictDraft)
		.mutation(({ ctx, input }) => saveDistrict(ctx.db, ctx.principal, input, ctx.now())),
	saveFacility: authedProcedure
		.input(FacilityDraft)
		.mutation(({ ctx, input }) => saveFacility(ctx.db, ctx.principal, input, ctx.now())),
	saveProvider: authedProcedure
		.input(ProviderDraft)
		.mutation(({ ctx, input }) => saveProvider(ctx.db, ctx.principal, input, ctx.now()))
});

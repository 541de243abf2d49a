/** Soziales: integration assistance, basic income support (SGB II), housing benefit. */
export const SOZIALES_KPI = {
	integrationAssistanceCases: 'soz.eingliederungshilfe_faelle',
	integrationAssistanceCosts: 'soz.eingliederungshilfe_kosten',
	sgb2Households: 'soz.sgb2_bedarfsgemeinschaften',
	housingBenefitHouseholds: 'soz.wohngeld_haushalte'
} as const;

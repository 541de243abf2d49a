/** Infrastruktur: street lighting and the city's investment projects. */
export const INFRASTRUKTUR_KPI = {
	streetLights: 'inf.strassenleuchten',
	ledShare: 'inf.led_anteil',
	openFaults: 'inf.stoerungen_offen',
	repairDays: 'inf.reparaturdauer',
	projectsOnTrack: 'inf.investprojekte_im_plan'
} as const;

/**
 * chart.js is loaded only on screens that draw a chart, and only the parts they use
 * (tree-shaken registration), so the home screen stays small.
 */
export async function loadLineChart() {
	const {
		Chart,
		LineController,
		LineElement,
		PointElement,
		LinearScale,
		CategoryScale,
		Tooltip,
		Legend,
		Filler
	} = await import('chart.js');
	Chart.register(
		LineController,
		LineElement,
		PointElement,
		LinearScale,
		CategoryScale,
		Tooltip,
		Legend,
		Filler
	);
	return Chart;
}

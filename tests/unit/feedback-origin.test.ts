import { describe, expect, test } from 'vitest';
import { cameFrom, feedbackFormLink } from '../../src/lib/app/feedback-origin';

const here = new URL('https://klar.stadt.example/barrierefreiheit');

describe('the page feedback is about', () => {
	test('the previous page in the app, with its query', () => {
		expect(cameFrom(new URL('https://klar.stadt.example/kpi/asyl.belegung?zeitraum=5'), here)).toBe(
			'/kpi/asyl.belegung?zeitraum=5'
		);
	});

	test('on a full page load, the referrer of this site', () => {
		expect(cameFrom(null, here, 'https://klar.stadt.example/offene-daten')).toBe('/offene-daten');
	});

	test('nothing from another site, from the statement or the form, or without a referrer', () => {
		expect(cameFrom(null, here, 'https://suche.example/?q=klar')).toBe('');
		expect(cameFrom(new URL('https://klar.stadt.example/barrierefreiheit'), here)).toBe('');
		expect(
			cameFrom(new URL('https://klar.stadt.example/barrierefreiheit/rueckmeldung'), here)
		).toBe('');
		expect(cameFrom(null, here, '')).toBe('');
		expect(cameFrom(null, here, 'kein url')).toBe('');
	});

	test('the form link carries the page, encoded', () => {
		expect(feedbackFormLink('/kpi/a?b=1&c=2')).toBe(
			'/barrierefreiheit/rueckmeldung?seite=%2Fkpi%2Fa%3Fb%3D1%26c%3D2'
		);
		expect(feedbackFormLink('')).toBe('/barrierefreiheit/rueckmeldung');
	});
});

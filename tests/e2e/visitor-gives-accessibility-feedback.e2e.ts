import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { axeViolations as violations } from './support/axe';
import { waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AuditLogPage } from './pages/audit-log-page';
import {
	EasyLanguagePage,
	FeedbackAdminPage,
	FeedbackFormPage,
	followFooterLink,
	StatementPage
} from './pages/accessibility-pages';

/**
 * A citizen without a login finds the accessibility statement from the login page, reports a
 * barrier while the phone has no network, and the message arrives once it is back. Central
 * controlling reads it, marks it done, and finds both steps in the audit log. At 360 px.
 */
describe('A visitor gives accessibility feedback, offline first; the admin works through it', () => {
	const story = storyWithAppAndPhone();
	const PROBLEM =
		'Auf der Anmeldeseite kündigt mein Screenreader die Fehlermeldung nicht an. Ich nutze NVDA.';

	const feedbackRows = () =>
		story.server.query<{ page: string; authorId: string | null; state: string; text: string }>(
			'SELECT page, author_id AS authorId, state, text FROM feedback'
		);

	it('finds the statement from the login page; it has the sections of BITV 2.0 and no axe violations', async () => {
		const { page, server } = story;
		await new LoginPage(page).open(server.url);
		await waitForServiceWorker(page);
		await followFooterLink(page, 'Barrierefreiheit');
		const statement = new StatementPage(page);
		await statement.waitForHeading();
		expect(await statement.sections()).toEqual([
			'Stand der Vereinbarkeit mit den Anforderungen',
			'Nicht barrierefreie Inhalte',
			'Erstellung dieser Erklärung',
			'Feedback und Kontaktangaben',
			'Durchsetzungsverfahren'
		]);
		await expect(page.getByText('teilweise vereinbar').count()).resolves.toBe(1);
		await expect(page.getByText(/Selbstbewertung/).count()).resolves.toBeGreaterThan(0);
		await statement.cityContact().waitFor();
		expect(await statement.cityContact().textContent()).toContain('@');
		expect(await statement.enforcementBody().textContent()).toContain('Rheinland-Pfalz');
		expect(await violations(page)).toEqual([]);
	});

	it('offline, sends feedback: German errors first, then "gespeichert", kept over a reload', async () => {
		const { page, context } = story;
		await new StatementPage(page).reportBarrier();
		const form = new FeedbackFormPage(page);
		// The form knows where the visitor came from before the statement.
		expect(await form.pageField().inputValue()).toBe('/login');

		await context.setOffline(true);
		await form.fill({ problem: '', email: 'nvda-nutzerin@' });
		await form.send();
		await expect(form.error('text').textContent()).resolves.toContain(
			'Bitte beschreiben Sie das Problem.'
		);
		await expect(form.error('email').textContent()).resolves.toContain('gültige E-Mail-Adresse');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('feedback-text');
		expect(await violations(page)).toEqual([]);

		await form.fill({ problem: PROBLEM, email: 'nvda-nutzerin@beispiel.de', name: 'A. Muster' });
		await form.send();
		await form
			.status()
			.getByText('Gespeichert – wird gesendet, sobald eine Verbindung besteht.')
			.waitFor();
		expect(feedbackRows()).toEqual([]);

		await page.reload();
		await form.waitForForm();
		await form.sentItems().filter({ hasText: PROBLEM }).waitFor();
		await form
			.sentItems()
			.filter({ hasText: 'Gespeichert – wird gesendet, sobald eine Verbindung besteht.' })
			.waitFor();
		expect(feedbackRows()).toEqual([]);
	});

	it('back online, the feedback is sent once, without an author', async () => {
		const { page, context } = story;
		const form = new FeedbackFormPage(page);
		await context.setOffline(false);
		await form.sentItems().filter({ hasText: 'Gesendet. Vielen Dank.' }).waitFor();
		expect(feedbackRows()).toEqual([
			{ page: '/login', authorId: null, state: 'neu', text: PROBLEM }
		]);
		// A further start sends nothing again.
		await page.reload();
		await form.sentItems().filter({ hasText: 'Gesendet. Vielen Dank.' }).waitFor();
		expect(feedbackRows()).toHaveLength(1);
	});

	it('Leichte Sprache explains KLAR, the open data and the feedback, without axe violations', async () => {
		const { page, server } = story;
		await new EasyLanguagePage(page).open(server.url);
		expect(await new EasyLanguagePage(page).sections()).toEqual([
			'Was ist KLAR?',
			'Wer benutzt KLAR?',
			'Was sind die offenen Daten?',
			'Funktioniert KLAR ohne Internet?',
			'Sie haben ein Problem mit KLAR?',
			'Mehr Informationen'
		]);
		expect(await violations(page)).toEqual([]);
	});

	it('the admin finds it under Verwaltung, marks it done, and the Protokoll shows both steps', async () => {
		const { page, server } = story;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('admin');
		await new HomePage(page).waitForTiles();

		const admin = new FeedbackAdminPage(page);
		await admin.openFromAdminIndex(server.url);
		const item = admin.item(PROBLEM);
		await item.waitFor();
		expect(await item.textContent()).toContain('/login');
		expect(await item.textContent()).toContain('nvda-nutzerin@beispiel.de');
		expect(await item.textContent()).toContain('ohne Anmeldung');
		expect(await item.getByTestId('feedback-state').textContent()).toContain('Neu');
		expect(await violations(page)).toEqual([]);

		await admin.setState(item, 'Erledigt', 'Fehlermeldung wird jetzt als Warnung angesagt.');
		await admin.saved().getByText('„Erledigt“').waitFor();
		await item.getByTestId('feedback-state').getByText('Erledigt').waitFor();
		expect(await item.textContent()).toContain('Fehlermeldung wird jetzt als Warnung angesagt.');
		expect(feedbackRows()[0]?.state).toBe('erledigt');

		await admin.filter('Neu');
		await expect(admin.items().count()).resolves.toBe(0);
		await admin.filter('Erledigt');
		await expect(admin.items().count()).resolves.toBe(1);
		expect(await violations(page)).toEqual([]);

		const log = new AuditLogPage(page);
		await log.open(server.url);
		await log.waitForRecords();
		await log.filter({ entity: 'Rückmeldung' });
		expect(await log.recordTitles()).toEqual([
			'Rückmeldung zur Barrierefreiheit bearbeitet',
			'Rückmeldung zur Barrierefreiheit eingegangen'
		]);
		expect(await log.changes(log.record('bearbeitet'))).toEqual([
			'Zustand: vorher Neu → nachher Erledigt',
			'Bemerkung: vorher „“ → nachher Fehlermeldung wird jetzt als Warnung angesagt.'
		]);
	});
});

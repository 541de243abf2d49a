import type { Page } from 'playwright-core';

export const DEMO_PASSWORD = 'KLAR-demo-2026!';

export class LoginPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/login`);
		await this.page.getByLabel('Benutzername').waitFor();
	}

	async logIn(username: string, password = DEMO_PASSWORD) {
		await this.page.getByLabel('Benutzername').fill(username);
		await this.page.getByLabel('Passwort').fill(password);
		await this.page.getByRole('button', { name: 'Anmelden' }).click();
	}

	error() {
		return this.page.getByTestId('login-error');
	}
}

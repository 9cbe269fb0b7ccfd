import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../helpers/waitFor';

/** Our status bar item: VS Code names it `<publisher>.<name>.<id of createStatusBarItem>`. */
const STATUS_ITEM_ID = 'live-dev-server.live-dev-server.liveDevServer.status';

/** Drives VS Code's workbench (code-server) the way a user does: keyboard, clicks, what is on screen. */
export class Workbench {
	constructor(readonly page: Page) {}

	async open(url: string): Promise<void> {
		await this.page.goto(url, { timeout: 60_000 });
		await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
	}

	/** The Live Dev Server status bar entry. */
	get statusItem(): Locator {
		return this.page.locator(`[id="${STATUS_ITEM_ID}"]`);
	}

	/** Its visible text, codicons left out ("Go Live", "Port 5500"). */
	async statusText(): Promise<string> {
		return normalise(await this.statusItem.innerText({ timeout: 1000 }));
	}

	/** Waits until the status bar text matches, and returns it. */
	async waitForStatus(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
		let last = '(no status bar item)';
		return waitFor(async () => {
			const text = await this.statusText().catch(() => undefined);
			if (text !== undefined) last = `"${text}"`;
			return text !== undefined && pattern.test(text) ? text : undefined;
		}, { timeoutMs, intervalMs: 100, what: `status bar text ${pattern}`, details: () => last });
	}

	/** F1, the command's title, Enter: the palette as a user uses it. */
	async runCommand(title: string): Promise<void> {
		const input = await this._quickInput();
		await input.fill(`>${title}`);
		await this._pick(title);
	}

	/** Quick open (the palette without its `>`): opens a workspace file in an editor and waits for its tab. */
	async openFile(relativePath: string): Promise<void> {
		const input = await this._quickInput();
		await input.fill(relativePath);
		await this._pick(relativePath.split('/').pop()!);
		await this.page.locator('.tabs-container .tab.active', { hasText: relativePath.split('/').pop()! }).waitFor({ timeout: 15_000 });
		await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 15_000 });
	}

	/** Quick open's `:line`: puts the cursor at the start of a line of the active editor. */
	async goToLine(line: number): Promise<void> {
		const input = await this._quickInput();
		await input.fill(`:${line}`);
		await this.page.keyboard.press('Enter');
		await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
		await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10_000 });
	}

	/**
	 * Turns a boolean setting on in the Settings editor, as a user does (code-server does not notice the user
	 * settings.json being changed behind its back), waits until `written` says it is saved, then closes it.
	 */
	async enableSetting(id: string, written: () => boolean): Promise<void> {
		await this.runCommand('Preferences: Open User Settings');
		await this.page.locator('.settings-editor').waitFor({ timeout: 15_000 });
		await this.page.keyboard.type(id); // the search box has the focus
		const checkbox = this.page.locator(`.settings-editor .setting-value-checkbox[aria-label="${id}"]`);
		await checkbox.waitFor({ timeout: 15_000 });
		if ((await checkbox.getAttribute('aria-checked')) !== 'true') await checkbox.click();
		await waitFor(async () => (await checkbox.getAttribute('aria-checked')) === 'true', { what: `${id} checked` });
		// The editor writes settings.json after a short delay; closing it before that loses the change.
		await waitFor(written, { what: `${id} written to the settings file` });
		// VS Code 1.139 shows the Settings editor as a modal (F1 does nothing under it): Escape closes it.
		const editor = this.page.locator('.settings-editor');
		await waitFor(async () => {
			await this.page.keyboard.press('Escape');
			return !(await editor.isVisible());
		}, { intervalMs: 300, what: 'the Settings editor to close' });
	}

	/** Whether the active editor tab shows unsaved changes. */
	async activeTabDirty(): Promise<boolean> {
		return (await this.page.locator('.tabs-container .tab.active.dirty').count()) > 0;
	}

	/**
	 * The text the Output panel shows (only the lines on screen: Monaco renders what is visible), with the
	 * non-breaking spaces of the rendering turned back into spaces.
	 */
	async outputText(): Promise<string> {
		const lines = this.page.locator('.output-view .view-lines').first();
		const texts = await lines.locator('.view-line').evaluateAll((elements) =>
			elements
				.map((element) => ({ top: parseFloat((element as HTMLElement).style.top) || 0, text: (element as HTMLElement).innerText }))
				.sort((a, b) => a.top - b.top)
				.map((line) => line.text));
		return texts.map(normalise).join('\n');
	}

	/** Waits until the Output panel shows text matching `pattern`, and returns all of it. */
	async waitForOutput(pattern: RegExp, { timeoutMs = 15_000, poke }: { timeoutMs?: number; poke?: () => Promise<unknown> } = {}): Promise<string> {
		let last = '(nothing read)';
		return waitFor(async () => {
			await poke?.();
			const text = await this.outputText();
			last = text.split('\n').slice(-20).join('\n');
			return pattern.test(text) ? text : undefined;
		}, { timeoutMs, intervalMs: 200, what: `Output panel text ${pattern}`, details: () => `the panel's last lines:\n${last}` });
	}

	private async _quickInput(): Promise<Locator> {
		const widget = this.page.locator('.quick-input-widget');
		if (await widget.isVisible()) await this.page.keyboard.press('Escape');
		await widget.waitFor({ state: 'hidden', timeout: 5000 });
		await this.page.keyboard.press('F1');
		await widget.waitFor({ state: 'visible', timeout: 10_000 });
		return widget.locator('input').first();
	}

	/** Clicks the palette row whose label is exactly `label` ("Stop", not "Start or Stop"). */
	private async _pick(label: string): Promise<void> {
		const name = this.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
		await this.page.locator('.quick-input-list .monaco-list-row', { has: name }).first().click({ timeout: 15_000 });
		await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
	}
}

function normalise(text: string): string {
	return text.replace(/\u00a0/g, ' ').trim();
}

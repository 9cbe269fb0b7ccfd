import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser (CI installs it with apt). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags the machines here need: no sandbox as root, and no background traffic to the closed network. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/** `backForwardCache`: keep Chromium's back/forward cache, which playwright turns off by default. */
export function launchBrowser({ backForwardCache = false } = {}): Promise<Browser> {
	const ignoreDefaultArgs = backForwardCache ? ['--disable-back-forward-cache'] : [];
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 30_000, ignoreDefaultArgs });
}

/** Collects uncaught exceptions thrown in the page (a client that throws into the page is a bug). */
export function collectPageErrors(page: Page): Error[] {
	const errors: Error[] = [];
	page.on('pageerror', (error) => errors.push(error));
	return errors;
}

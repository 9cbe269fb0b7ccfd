import { after, before } from 'node:test';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser } from './browser';
import { startSession, type TestServer } from './startSession';
import { createTempWorkspace, type TempWorkspace } from './tempWorkspace';
import { waitFor } from './waitFor';

/** Opens a page and waits until its live-reload client has said hello to the server. */
export async function openLivePage({ browser, server }: { browser: Browser; server: TestServer }, pathname: string): Promise<Page> {
	const page = await browser.newPage();
	await page.goto(`${server.base}${pathname}`);
	await waitFor(() => server.session.liveReload!.hub.pages.includes(pathname), { what: `${pathname} to connect` });
	return page;
}

/**
 * The client's script tag as the server injects it when it runs synchronously, first in <head> (before any page
 * script). A page that already holds it gets no second one from the server.
 */
export function clientTag(server: TestServer, token = server.session.liveReload!.token): string {
	return `<script src="__live/client.js?t=${token}"></script>`;
}

/** Sets a variable on the page: still there later proves that the page was not reloaded. */
export async function setMarker(page: Page, value = 'kept'): Promise<void> {
	await page.evaluate((marker) => ((window as unknown as { marker: string }).marker = marker), value);
}

export function readMarker(page: Page): Promise<string | undefined> {
	return page.evaluate(() => (window as unknown as { marker?: string }).marker);
}

export interface ConsoleEntry {
	type: string;
	text: string;
	url: string;
	at: number;
}

/**
 * The page's console messages: the client's own, and the browser's about the client's requests. Not the browser's
 * 404 for /favicon.ico, which it asks for on its own after each load.
 */
export function collectConsole(page: Page): ConsoleEntry[] {
	const entries: ConsoleEntry[] = [];
	page.on('console', (message: ConsoleMessage) => {
		const url = message.location().url;
		if (!url.endsWith('/favicon.ico')) entries.push({ type: message.type(), text: message.text(), url, at: Date.now() });
	});
	return entries;
}

/**
 * Chromium logs every failed request, even a caught one, as "Failed to load resource". The client's probe while the
 * server is down is such a request: unavoidable, so the tests count them (backoff keeps them few) instead.
 */
export function isFailedProbe(entry: ConsoleEntry): boolean {
	return entry.text === 'Failed to load resource: net::ERR_CONNECTION_REFUSED' && /\/__live\/client\.js(\?|$)/.test(entry.url);
}

/** Counts the page's loads (the first one included) from now on. */
export function countLoads(page: Page): { readonly count: number } {
	const counter = { count: 0 };
	page.on('load', () => counter.count++);
	return counter;
}

/** What a test watches on a page: uncaught errors, console messages and loads, from now on. */
export function observePage(page: Page): { errors: Error[]; messages: ConsoleEntry[]; loads: { readonly count: number } } {
	return { errors: collectPageErrors(page), messages: collectConsole(page), loads: countLoads(page) };
}

export interface BrowserSite {
	browser: Browser;
	workspace: TempWorkspace;
	server: TestServer;
}

/**
 * Registers the hooks of a browser test file: one Chromium, a temporary workspace holding `files`, and the server
 * on it (watching). The returned object is filled in by the time the tests run.
 */
export function useBrowserSite(files: Record<string, string>, { backForwardCache = false } = {}): BrowserSite {
	const site = {} as BrowserSite;
	before(async () => {
		site.browser = await launchBrowser({ backForwardCache });
		site.workspace = createTempWorkspace();
		for (const [name, text] of Object.entries(files)) site.workspace.write(name, text);
		site.server = await startSession(site.workspace.root);
		await site.server.session.watching;
	});
	after(async () => {
		await site.browser?.close();
		await site.server?.close();
		site.workspace?.remove();
	});
	return site;
}

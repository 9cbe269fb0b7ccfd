import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { clientTag, isFailedProbe, observePage, openLivePage, type ConsoleEntry } from '../helpers/livePage';
import { startSession } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let browser: Browser;
let workspace: TempWorkspace;

before(async () => {
	browser = await launchBrowser();
	workspace = createTempWorkspace();
	workspace.write('index.html', '<!DOCTYPE html><html><head><title>r</title></head><body><p id="p">one</p></body></html>');
});

after(async () => {
	await browser?.close();
	workspace?.remove();
});

/** Milliseconds between consecutive entries. */
const gaps = (entries: ConsoleEntry[]) => entries.slice(1).map((entry, index) => entry.at - entries[index]!.at);

describe('reconnecting in Chromium', () => {
	it('probes with growing delays while the server is gone, then reloads exactly once when it is back on the same port', async () => {
		let server = await startSession(workspace.root);
		const page = await openLivePage({ browser, server }, '/');
		const { errors, messages, loads } = observePage(page);
		try {
			await server.close();
			const probes = await waitFor(() => {
				const failed = messages.filter(isFailedProbe);
				return failed.length >= 4 && failed;
			}, { timeoutMs: 15_000, what: 'four failed probes' });
			const [first, , third] = gaps(probes);
			assert.ok(third! > first!, `the delays grow (gaps ${gaps(probes).join(', ')} ms)`);

			server = await startSession(workspace.root, { port: server.port, portExplicit: true });
			await waitFor(() => loads.count >= 1 && server.session.liveReload!.clientCount === 1, { timeoutMs: 15_000, what: 'the reloaded page to connect' });
			assert.equal(loads.count, 1, 'reloaded once');
			assert.deepEqual(errors, []);
			// Nothing but Chromium's line for each failed probe: no WebSocket errors, nothing logged by the client.
			assert.deepEqual(messages.filter((entry) => !isFailedProbe(entry)), []);
		} finally {
			await page.close();
			await server.close();
		}
	});

	it('backs off when the server refuses the socket, and reloads only once the page carries a new token', async () => {
		const server = await startSession(workspace.root);
		const stale = (text: string, token: string) => `<!DOCTYPE html><html><head>${clientTag(server, token)}</head><body><p id="p">${text}</p></body></html>`;
		// A page served with a token the server no longer accepts (cached, or saved from an earlier session).
		workspace.write('stale.html', stale('stale', '0123456789abcdef0123456789abcdef'));
		const page = await browser.newPage();
		const { errors, messages, loads } = observePage(page);
		try {
			await page.goto(`${server.base}/stale.html`);
			const refusals = await waitFor(() => {
				const refused = messages.filter((entry) => entry.text.startsWith('WebSocket connection to'));
				return refused.length >= 3 && refused;
			}, { timeoutMs: 15_000, what: 'three refused sockets' });
			assert.equal(loads.count, 1, 'no reload while the page still carries the same token');
			const [first, second] = gaps(refusals);
			assert.ok(first! >= 400 && second! > first!, `no hammering: the delays are long and grow (${gaps(refusals).join(', ')} ms)`);

			workspace.write('stale.html', stale('fresh', server.session.liveReload!.token));
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/stale.html'), { timeoutMs: 15_000, what: 'the page to reload with the new token' });
			assert.equal(await page.textContent('#p'), 'fresh');
			assert.equal(loads.count, 2, 'reloaded once');
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await server.close();
		}
	});
});

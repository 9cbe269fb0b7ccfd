import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { request } from '../helpers/httpRequest';
import { isFailedProbe, observePage, openLivePage } from '../helpers/livePage';
import { startSession } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let browser: Browser;
let workspace: TempWorkspace;

/** Page CSS that would hide, shrink or restyle any element it reaches, and a CSP under which innerHTML throws. */
const HOSTILE_PAGE = `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'">
<style>
	* { display: none !important; font-size: 1px !important; color: transparent !important; }
	html, body, p { display: block !important; }
	body { transform: translateX(-5000px); }
	live-dev-server-status { opacity: 0 !important; visibility: hidden !important; }
</style></head><body><p id="p">text</p></body></html>`;

before(async () => {
	browser = await launchBrowser();
	workspace = createTempWorkspace();
	workspace.write('index.html', HOSTILE_PAGE);
});

after(async () => {
	await browser?.close();
	workspace?.remove();
});

describe('the connection-lost notice', () => {
	it('shows despite the page CSS, stays dismissed while disconnected, and is gone once the server is back', async () => {
		let server = await startSession(workspace.root);
		const page = await openLivePage({ browser, server }, '/');
		const { errors, messages, loads } = observePage(page);
		try {
			await server.close();
			const notice = page.getByRole('status');
			await notice.waitFor({ state: 'visible', timeout: 5000 });
			assert.match(String(await notice.textContent()), /connection lost/i);
			const box = await notice.boundingBox();
			const viewport = page.viewportSize()!;
			assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, 'inside the viewport');
			const fontSize = await notice.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
			assert.ok(fontSize >= 10, `readable (font-size ${fontSize}px)`);

			await page.getByRole('button', { name: 'Dismiss' }).click({ timeout: 5000 });
			await page.waitForSelector('live-dev-server-status', { state: 'detached', timeout: 5000 });
			const probesSoFar = messages.filter(isFailedProbe).length;
			await waitFor(() => messages.filter(isFailedProbe).length >= probesSoFar + 2, { timeoutMs: 15_000, what: 'two more probes' });
			assert.equal(await page.locator('live-dev-server-status').count(), 0, 'still dismissed');

			server = await startSession(workspace.root, { port: server.port, portExplicit: true });
			await waitFor(() => loads.count === 1 && server.session.liveReload!.clientCount === 1, { timeoutMs: 15_000, what: 'the page to reload and connect' });
			assert.equal(await page.locator('live-dev-server-status').count(), 0);
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await server.close();
		}
	});

	it('shows when the server went away before the socket ever opened', async () => {
		const server = await startSession(workspace.root);
		const page = await browser.newPage();
		const { errors } = observePage(page);
		try {
			// The client arrives only once the server has stopped: its socket never opens, its probe fails.
			const client = (await request(`${server.base}/__live/client.js`)).text;
			let clientRequested!: () => void;
			const requested = new Promise<void>((resolve) => (clientRequested = resolve));
			const stopped = requested.then(() => server.close());
			await page.route('**/__live/client.js*', async (route) => {
				clientRequested();
				await stopped;
				await route.fulfill({ contentType: 'text/javascript', body: client });
			}, { times: 1 }); // the script only: the client's probes of the same URL must reach the (stopped) server
			await page.goto(`${server.base}/`, { waitUntil: 'commit' });
			await stopped;
			const notice = page.getByRole('status');
			await notice.waitFor({ state: 'visible', timeout: 5000 });
			assert.match(String(await notice.textContent()), /connection lost/i);
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await server.close();
		}
	});
});

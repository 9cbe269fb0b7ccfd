import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { collectPageErrors, launchBrowser } from '../helpers/browser';
import { openLivePage, readMarker, setMarker } from '../helpers/livePage';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let browser: Browser;
let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	browser = await launchBrowser({ backForwardCache: true });
	workspace = createTempWorkspace();
	workspace.write('first.html', '<!DOCTYPE html><html><head><title>1</title></head><body><a id="next" href="second.html">next</a><p id="p">one</p></body></html>');
	workspace.write('second.html', '<!DOCTYPE html><html><head><title>2</title></head><body><p>two</p></body></html>');
	server = await startSession(workspace.root);
	await server.session.watching;
});

after(async () => {
	await browser?.close();
	await server?.close();
	workspace?.remove();
});

const hub = () => server.session.liveReload!.hub;

describe('back/forward cache', () => {
	it('closes the socket when the page is hidden, so it can be cached, and reconnects when it is restored', async () => {
		const page = await openLivePage(browser, server, `${server.base}/first.html`);
		const errors = collectPageErrors(page);
		try {
			await setMarker(page);
			await page.click('#next');
			await waitFor(() => hub().pages.join() === '/second.html', { what: 'only the second page to be connected' });
			await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires no 'load'
			assert.equal(await readMarker(page), 'kept', 'restored from the back/forward cache, not loaded again');
			await waitFor(() => hub().pages.join() === '/first.html', { what: 'the restored page to reconnect' });

			workspace.write('first.html', '<!DOCTYPE html><html><head><title>1</title></head><body><a id="next" href="second.html">next</a><p id="p">edited</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'edited', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});
});

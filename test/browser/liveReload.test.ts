import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser } from '../helpers/browser';
import { openLivePage as openPage } from '../helpers/livePage';
import { startSession, type TestServer } from '../helpers/startSession';
import { startPrefixProxy } from '../helpers/prefixProxy';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let browser: Browser;
let workspace: TempWorkspace;
let server: TestServer;

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Browser fixture</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<h1 id="title">Original title</h1>
</body>
</html>
`;

before(async () => {
	browser = await launchBrowser();
	workspace = createTempWorkspace();
	workspace.write('index.html', PAGE);
	workspace.write('style.css', 'h1 { color: rgb(1, 2, 3); }\n');
	server = await startSession(workspace.root);
	await server.session.watching;
});

after(async () => {
	await browser?.close();
	await server?.close();
	workspace?.remove();
});

const openLivePage = (url: string) => openPage(browser, server, url);

const colorOf = (page: Page, selector: string) => page.$eval(selector, (element) => getComputedStyle(element).color);

describe('live reload in Chromium', () => {
	it('shows edited page text after a save', async () => {
		const page = await openLivePage(`${server.base}/`);
		const errors = collectPageErrors(page);
		try {
			assert.equal(await page.textContent('#title'), 'Original title');
			workspace.write('index.html', PAGE.replace('Original title', 'Edited title'));
			await page.waitForFunction(() => document.getElementById('title')?.textContent === 'Edited title', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});

	it('updates a page without scripts in place, and really reloads a page with scripts', async () => {
		workspace.write('static.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">one</p></body></html>');
		workspace.write('scripted.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">one</p><script>window.ran = (window.ran || 0) + 1;</script></body></html>');
		const staticPage = await openLivePage(`${server.base}/static.html`);
		const scriptedPage = await openLivePage(`${server.base}/scripted.html`);
		try {
			for (const page of [staticPage, scriptedPage]) await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'set before the edit'));
			workspace.write('static.html', '<!DOCTYPE html><html><head><title>s</title></head><body class="b">\n<p id="p">two</p>\n<p id="q">three</p>\n</body></html>');
			await staticPage.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await staticPage.textContent('#q'), 'three', 'every node of the new body arrived');
			assert.equal(await staticPage.evaluate(() => (window as unknown as { marker?: string }).marker), 'set before the edit', 'updated in place');
			assert.equal(await staticPage.getAttribute('body', 'class'), 'b');

			workspace.write('scripted.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">two</p><script>window.ran = (window.ran || 0) + 1;</script></body></html>');
			await scriptedPage.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await scriptedPage.evaluate(() => (window as unknown as { marker?: string }).marker), undefined, 'a real reload');
			assert.equal(await scriptedPage.evaluate(() => (window as unknown as { ran: number }).ran), 1, 'its script ran again, once');
		} finally {
			await staticPage.close();
			await scriptedPage.close();
		}
	});

	it('swaps an edited stylesheet without reloading the page', async () => {
		const page = await openLivePage(`${server.base}/`);
		const errors = collectPageErrors(page);
		try {
			await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'));
			assert.equal(await colorOf(page, 'h1'), 'rgb(1, 2, 3)');
			workspace.write('style.css', 'h1 { color: rgb(200, 100, 50); }\n');
			await page.waitForFunction(() => getComputedStyle(document.querySelector('h1')!).color === 'rgb(200, 100, 50)', undefined, { timeout: 5000 });
			assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'still here', 'the page was not reloaded');
			await page.waitForFunction(() => document.querySelectorAll('link[href^="style.css"]').length === 1, undefined, { timeout: 5000 });
			assert.match(String(await page.getAttribute('link[href^="style.css"]', 'href')), /^style\.css\?_lds=\d+$/, 'the old <link> gave way to a fresh one');
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});

	it('works through a proxy that serves the site under a path prefix (code-server\'s /proxy/<port>/)', async () => {
		// Creating a folder is a storm (a longer quiet time): let its reload pass before the page opens.
		const settled = new Promise<void>((resolve) => {
			const subscription = server.session.liveReload!.onDidReload(() => {
				subscription.dispose();
				resolve();
			});
		});
		workspace.write('deep/page.html', '<!DOCTYPE html><html><head><link rel="stylesheet" href="page.css"></head><body><p id="p">one</p></body></html>');
		workspace.write('deep/page.css', '#p { color: rgb(1, 1, 1); }\n');
		await settled;
		const proxy = await startPrefixProxy();
		const page = await browser.newPage();
		const errors = collectPageErrors(page);
		try {
			await page.goto(`${proxy.base}/proxy/${server.port}/deep/page.html`);
			// The client reached the server through the proxy and named its page as the server knows it.
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/deep/page.html'), { what: 'the page to connect through the proxy' });
			await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'kept'));
			workspace.write('deep/page.css', '#p { color: rgb(2, 2, 2); }\n');
			await page.waitForFunction(() => getComputedStyle(document.getElementById('p')!).color === 'rgb(2, 2, 2)', undefined, { timeout: 5000 });
			workspace.write('deep/page.html', '<!DOCTYPE html><html><head><link rel="stylesheet" href="page.css"></head><body><p id="p">two</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'kept', 'stylesheet swapped and page updated in place');
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await proxy.close();
		}
	});

	it('reloads a page whose document is deleted and shows the error page, which recovers by itself', async () => {
		workspace.write('temp.html', '<html><head></head><body><p id="p">temporary</p></body></html>');
		const page = await openLivePage(`${server.base}/temp.html`);
		try {
			fs.rmSync(path.join(workspace.root, 'temp.html'));
			await page.waitForFunction(() => document.title.startsWith('404'), undefined, { timeout: 5000 });
			workspace.write('temp.html', '<html><head></head><body><p id="p">back again</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'back again', undefined, { timeout: 5000 });
		} finally {
			await page.close();
		}
	});
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { openLivePage, useBrowserSite } from '../helpers/livePage';
import { startPrefixProxy } from '../helpers/prefixProxy';
import { waitFor } from '../helpers/waitFor';

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

const site = useBrowserSite({ 'index.html': PAGE, 'style.css': 'h1 { color: rgb(1, 2, 3); }\n' });

const colorOf = (page: Page, selector: string) => page.$eval(selector, (element) => getComputedStyle(element).color);

describe('live reload in Chromium', () => {
	it('shows edited page text after a save', async () => {
		const page = await openLivePage(site, '/');
		const errors = collectPageErrors(page);
		try {
			assert.equal(await page.textContent('#title'), 'Original title');
			site.workspace.write('index.html', PAGE.replace('Original title', 'Edited title'));
			await page.waitForFunction(() => document.getElementById('title')?.textContent === 'Edited title', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});

	it('updates a page without scripts in place, and really reloads a page with scripts', async () => {
		site.workspace.write('static.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">one</p></body></html>');
		site.workspace.write('scripted.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">one</p><script>window.ran = (window.ran || 0) + 1;</script></body></html>');
		const staticPage = await openLivePage(site, '/static.html');
		const scriptedPage = await openLivePage(site, '/scripted.html');
		try {
			for (const page of [staticPage, scriptedPage]) await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'set before the edit'));
			site.workspace.write('static.html', '<!DOCTYPE html><html><head><title>s</title></head><body class="b">\n<p id="p">two</p>\n<p id="q">three</p>\n</body></html>');
			await staticPage.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await staticPage.textContent('#q'), 'three', 'every node of the new body arrived');
			assert.equal(await staticPage.evaluate(() => (window as unknown as { marker?: string }).marker), 'set before the edit', 'updated in place');
			assert.equal(await staticPage.getAttribute('body', 'class'), 'b');

			site.workspace.write('scripted.html', '<!DOCTYPE html><html><head><title>s</title></head><body><p id="p">two</p><script>window.ran = (window.ran || 0) + 1;</script></body></html>');
			await scriptedPage.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await scriptedPage.evaluate(() => (window as unknown as { marker?: string }).marker), undefined, 'a real reload');
			assert.equal(await scriptedPage.evaluate(() => (window as unknown as { ran: number }).ran), 1, 'its script ran again, once');
		} finally {
			await staticPage.close();
			await scriptedPage.close();
		}
	});

	it('swaps an edited stylesheet without reloading the page', async () => {
		const page = await openLivePage(site, '/');
		const errors = collectPageErrors(page);
		try {
			await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'));
			assert.equal(await colorOf(page, 'h1'), 'rgb(1, 2, 3)');
			site.workspace.write('style.css', 'h1 { color: rgb(200, 100, 50); }\n');
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
			const subscription = site.server.session.liveReload!.onDidReload(() => {
				subscription.dispose();
				resolve();
			});
		});
		site.workspace.write('deep/page.html', '<!DOCTYPE html><html><head><link rel="stylesheet" href="page.css"></head><body><p id="p">one</p></body></html>');
		site.workspace.write('deep/page.css', '#p { color: rgb(1, 1, 1); }\n');
		await settled;
		const proxy = await startPrefixProxy();
		const page = await site.browser.newPage();
		const errors = collectPageErrors(page);
		try {
			await page.goto(`${proxy.base}/proxy/${site.server.port}/deep/page.html`);
			// The client reached the server through the proxy and named its page as the server knows it.
			await waitFor(() => site.server.session.liveReload!.hub.pages.includes('/deep/page.html'), { what: 'the page to connect through the proxy' });
			await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'kept'));
			site.workspace.write('deep/page.css', '#p { color: rgb(2, 2, 2); }\n');
			await page.waitForFunction(() => getComputedStyle(document.getElementById('p')!).color === 'rgb(2, 2, 2)', undefined, { timeout: 5000 });
			site.workspace.write('deep/page.html', '<!DOCTYPE html><html><head><link rel="stylesheet" href="page.css"></head><body><p id="p">two</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'kept', 'stylesheet swapped and page updated in place');
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await proxy.close();
		}
	});

	it('reloads a page whose document is deleted and shows the error page, which recovers by itself', async () => {
		site.workspace.write('temp.html', '<html><head></head><body><p id="p">temporary</p></body></html>');
		const page = await openLivePage(site, '/temp.html');
		try {
			fs.rmSync(path.join(site.workspace.root, 'temp.html'));
			await page.waitForFunction(() => document.title.startsWith('404'), undefined, { timeout: 5000 });
			site.workspace.write('temp.html', '<html><head></head><body><p id="p">back again</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'back again', undefined, { timeout: 5000 });
		} finally {
			await page.close();
		}
	});
});

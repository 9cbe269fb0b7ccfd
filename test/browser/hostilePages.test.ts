import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientTag, observePage, openLivePage, useBrowserSite } from '../helpers/livePage';
import { waitFor } from '../helpers/waitFor';

const site = useBrowserSite({});

/** Everything a page may do to the globals the client relies on, after the (injected, synchronous) client has run. */
const BREAK_GLOBALS = `<script>
	const broken = () => { throw new Error('broken by the page'); };
	window.WebSocket = null;
	window.setTimeout = broken;
	window.clearTimeout = broken;
	window.fetch = broken;
	window.URL = broken;
	window.DOMParser = broken;
	Math.random = broken;
	Date.now = broken;
	console.log = console.warn = console.error = broken;
	try { location.reload = broken; } catch {}
	JSON.parse = JSON.stringify = broken;
	for (const name of ['forEach', 'map', 'filter', 'push', 'shift', 'includes', 'indexOf', 'slice', 'join', 'some']) Array.prototype[name] = broken;
	Array.from = Array.isArray = broken;
	document.createElement = broken;
	EventTarget.prototype.addEventListener = broken;
	Function.prototype.call = Function.prototype.apply = Function.prototype.bind = broken;
	window.define = Object.assign(function define() {}, { amd: {} });
	Object.freeze(Object.prototype);
	Object.freeze(Array.prototype);
	Object.freeze(console);
	Object.freeze(JSON);
</script>`;

/** DOM clobbering: named elements that shadow document and window properties. */
const CLOBBERING = `<form name="currentScript"></form><form name="createElement"></form><form name="styleSheets"></form>
<img name="body"><div id="WebSocket"></div><div id="__liveDevServer"></div><div id="fetch"></div>`;

describe('the client on hostile pages', () => {
	it('live-reloads and swaps CSS on a page that breaks the globals and clobbers the DOM, and stays silent', async () => {
		const html = (title: string) => `<!DOCTYPE html><html><head>${BREAK_GLOBALS}
<link rel="stylesheet" href="hostile.css"></head><body>${CLOBBERING}<h1 id="title">${title}</h1><p id="flag">flag</p></body></html>`;
		site.workspace.write('hostile.css', '#flag { display: none; }\n');
		site.workspace.write('hostile.html', html('before'));
		const page = await openLivePage(site, '/hostile.html');
		const { errors, messages, loads } = observePage(page);
		try {
			// Only locators from here on: they run in playwright's own JavaScript world, which the page cannot break.
			const flag = page.locator('#flag');
			assert.equal(await flag.isVisible(), false);
			site.workspace.write('hostile.css', '#flag { display: block; }\n');
			await waitFor(() => flag.isVisible(), { what: 'the swapped stylesheet to show the flag' });
			assert.equal(loads.count, 0, 'the stylesheet was swapped, not reloaded');

			site.workspace.write('hostile.html', html('after'));
			await waitFor(async () => (await page.textContent('#title')) === 'after', { what: 'the page to reload' });
			assert.equal(loads.count, 1);
			assert.deepEqual(errors, []);
			assert.deepEqual(messages, []);
		} finally {
			await page.close();
		}
	});

	it('throws nothing on a page that broke the globals before the client ran (a script before <head>)', async () => {
		site.workspace.write('early.html', `<!DOCTYPE html>${BREAK_GLOBALS}<html><head></head><body><p>early</p></body></html>`);
		const page = await site.browser.newPage();
		const { errors, messages } = observePage(page);
		try {
			await page.goto(`${site.server.base}/early.html`);
			// The client has run once its script has loaded (it is not deferred past 'load').
			await page.waitForLoadState('load');
			assert.equal(await page.locator('script[src*="__live/client.js"]').count(), 1);
			assert.deepEqual(errors, []);
			assert.deepEqual(messages, []);
		} finally {
			await page.close();
		}
	});

	it('finds the server from its own URL on a page with <base href> elsewhere and clobbering ids', async () => {
		// Injected by the server (not necessarily before the page's scripts), with a clobbering id in the body.
		const html = (text: string) => `<!DOCTYPE html><html><head><base href="/elsewhere/"><title>b</title></head><body><div id="__liveDevServer"></div><script>window.ran = 1;</script><p id="p">${text}</p></body></html>`;
		site.workspace.write('based.html', html('one'));
		const page = await openLivePage(site, '/based.html');
		const { errors } = observePage(page);
		try {
			site.workspace.write('based.html', html('two'));
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'two', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});

	it('does nothing the second time it is included: one socket per page', async () => {
		const tag = clientTag(site.server);
		site.workspace.write('twice.html', `<!DOCTYPE html><html><head>${tag}${tag}</head><body><p>twice</p>${tag}</body></html>`);
		const page = await site.browser.newPage();
		// Counts the sockets opened by the page (this runs before any script of it).
		await page.addInitScript(() => {
			const Native = WebSocket;
			const counted = new Proxy(Native, { construct: (target, args) => ((window as unknown as { sockets: number }).sockets = ((window as unknown as { sockets?: number }).sockets ?? 0) + 1, Reflect.construct(target, args)) });
			window.WebSocket = counted;
		});
		try {
			await page.goto(`${site.server.base}/twice.html`);
			// Every copy is synchronous: all three have run once the page has loaded.
			assert.equal(await page.evaluate(() => document.querySelectorAll('script[src*="__live/client.js"]').length), 3);
			assert.equal(await page.evaluate(() => (window as unknown as { sockets?: number }).sockets), 1);
		} finally {
			await page.close();
		}
	});
});

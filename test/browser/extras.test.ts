import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { BrowserConsoleMessage } from '../../server-core/protocol/browserConsole';
import { CHROMIUM_ARGS, CHROMIUM_PATH, collectPageErrors } from '../helpers/browser';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let browser: Browser;
let workspace: TempWorkspace;
let certDir: string;

before(async () => {
	// The generated certificate is self-signed: this browser is told to accept it, as a user clicking through would.
	browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'], headless: true, timeout: 30_000 });
	workspace = createTempWorkspace();
	certDir = fs.mkdtempSync(path.join(workspace.root, '..', 'lds-browser-certs-'));
	workspace.write('index.html', '<!DOCTYPE html><html><head><title>t</title></head><body><h1 id="title">Original</h1></body></html>');
});

after(async () => {
	await browser?.close();
	workspace?.remove();
	fs.rmSync(certDir, { recursive: true, force: true });
});

describe('HTTPS in Chromium', () => {
	it('serves the page over https and live-reloads it over wss', async () => {
		const server = await startSession(workspace.root, { https: { enabled: true, certDir } });
		const page = await browser.newPage();
		const errors = collectPageErrors(page);
		const sockets: string[] = [];
		page.on('websocket', (socket) => sockets.push(socket.url()));
		try {
			await server.session.watching;
			await page.goto(server.session.url);
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/'), { what: 'the page to connect' });
			// Chromium reports the socket to Playwright asynchronously: the server may hear the hello first.
			await waitFor(() => sockets.some((url) => url.startsWith(`wss://127.0.0.1:${server.port}/__live/ws/`)), { what: `a wss: socket (seen: ${sockets.join(', ') || 'none'})` });
			workspace.write('index.html', '<!DOCTYPE html><html><head><title>t</title></head><body><h1 id="title">Edited</h1></body></html>');
			await page.waitForFunction(() => document.getElementById('title')?.textContent === 'Edited', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
			await server.close();
		}
	});
});

describe('browser console relay', () => {
	let server: TestServer;
	const messages: BrowserConsoleMessage[] = [];

	before(async () => {
		workspace.write('console.html', `<!DOCTYPE html><html><head><title>c</title></head><body><div id="box" class="a b"></div><script>
			window.logAll = () => {
				const circular = { name: 'loop', list: [1, 'two'] };
				circular.self = circular;
				console.log('plain', 42, { nested: { deep: { deeper: { deepest: 1 } } } }, null, undefined);
				console.info('circular', circular);
				console.warn('node', document.getElementById('box'));
				console.error(new TypeError('bad type'));
				const tricky = {};
				Object.defineProperty(tricky, 'boom', { enumerable: true, get() { throw new Error('getter'); } });
				console.log('tricky', tricky);
			};
			window.failLater = () => {
				setTimeout(() => {
					throw new RangeError('thrown later');
				});
				void Promise.reject(new Error('nobody caught me'));
				console.log('still logged locally');
			};
		</script></body></html>`);
		workspace.write('early.html', `<!DOCTYPE html><html><head><title>e</title><script>console.log('logged in the head', 1);</script></head><body>
			<script>throw new TypeError('thrown while loading');</script>
			<script>void Promise.reject(new Error('rejected while loading'));</script>
		</body></html>`);
		// A strict CSP allows same-origin scripts only: an inline bootstrap would be blocked, the client is not.
		workspace.write('strict/early.html', '<!DOCTYPE html><html><head><title>s</title><script src="early.js"></script></head><body></body></html>');
		workspace.write('strict/early.js', "console.warn('logged by a same-origin head script under CSP');");
		server = await startSession(workspace.root, {
			console: true,
			onConsoleMessage: (message) => messages.push(message),
			headers: { 'strict/*': { 'Content-Security-Policy': "script-src 'self'" } },
		});
	});

	after(async () => {
		await server?.close();
	});

	const find = (predicate: (message: BrowserConsoleMessage) => boolean, what: string) => waitFor(() => messages.find(predicate), { what });

	it('relays console calls with their level and page URL, serialized safely', async () => {
		const page = await browser.newPage();
		const errors = collectPageErrors(page);
		try {
			await page.goto(`${server.base}/console.html`);
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/console.html'), { what: 'the page to connect' });
			await page.evaluate(() => (window as unknown as { logAll(): void }).logAll());
			const plain = await find((message) => message.text.startsWith('plain'), 'the log message');
			assert.equal(plain.level, 'log');
			assert.equal(plain.url, `${server.base}/console.html`);
			assert.equal(plain.text, 'plain 42 { nested: { deep: { deeper: [Object] } } } null undefined');
			const circular = await find((message) => message.text.startsWith('circular'), 'the circular object');
			assert.equal(circular.level, 'info');
			assert.equal(circular.text, 'circular { name: "loop", list: [1, "two"], self: [Circular] }');
			const node = await find((message) => message.text.startsWith('node'), 'the DOM node');
			assert.equal(node.level, 'warn');
			assert.equal(node.text, 'node <div#box.a.b>');
			const error = await find((message) => message.text.includes('bad type'), 'the error');
			assert.equal(error.level, 'error');
			assert.match(error.text, /^TypeError: bad type\n\s+at /);
			const tricky = await find((message) => message.text.startsWith('tricky'), 'the throwing getter');
			assert.equal(tricky.text, 'tricky { boom: [Thrown] }');
			assert.deepEqual(errors, [], 'nothing thrown into the page');
		} finally {
			await page.close();
		}
	});

	it('relays uncaught errors and unhandled rejections, and leaves the page console working', async () => {
		const page = await browser.newPage();
		const pageConsole: string[] = [];
		page.on('console', (message) => pageConsole.push(message.text()));
		try {
			await page.goto(`${server.base}/console.html`);
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/console.html'), { what: 'the page to connect' });
			await page.evaluate(() => (window as unknown as { failLater(): void }).failLater());
			const uncaught = await find((message) => message.text.includes('thrown later'), 'the uncaught error');
			assert.equal(uncaught.level, 'error');
			assert.match(uncaught.text, /^Uncaught RangeError: thrown later \(http:\/\/127\.0\.0\.1:\d+\/console\.html:\d+:\d+\)\n\s+at /);
			const rejection = await find((message) => message.text.includes('nobody caught me'), 'the rejection');
			assert.match(rejection.text, /^Uncaught \(in promise\) Error: nobody caught me/);
			await waitFor(() => pageConsole.includes('still logged locally'), { what: 'the page console' });
		} finally {
			await page.close();
		}
	});

	it('relays what a page logs and throws while it loads (inline head scripts, errors in the body)', async () => {
		const page = await browser.newPage();
		try {
			await page.goto(`${server.base}/early.html`);
			const head = await find((message) => message.text === 'logged in the head 1', 'the head script\'s log');
			assert.equal(head.level, 'log');
			assert.equal(head.url, `${server.base}/early.html`);
			const thrown = await find((message) => message.text.includes('thrown while loading'), 'the error thrown in the body');
			assert.equal(thrown.level, 'error');
			assert.match(thrown.text, /^Uncaught TypeError: thrown while loading/);
			await find((message) => message.text.includes('rejected while loading'), 'the rejection while loading');
		} finally {
			await page.close();
		}
	});

	it('relays load-time messages of a page whose CSP allows only same-origin scripts', async () => {
		const page = await browser.newPage();
		const blocked: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
		});
		try {
			await page.goto(`${server.base}/strict/early.html`);
			const warned = await find((message) => message.text === 'logged by a same-origin head script under CSP', 'the CSP page\'s log');
			assert.equal(warned.level, 'warn');
			assert.deepEqual(blocked, [], 'nothing of the relay is blocked by the CSP');
		} finally {
			await page.close();
		}
	});

	it('limits a flood of messages and says how many were dropped', async () => {
		const page = await browser.newPage();
		try {
			await page.goto(`${server.base}/console.html`);
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/console.html'), { what: 'the page to connect' });
			const before = messages.length;
			await page.evaluate(() => {
				for (let index = 0; index < 1000; index++) console.log(`flood ${index}`);
			});
			// Every message is either relayed or counted in a "not relayed" notice; most are dropped.
			const accounted = () => {
				const recent = messages.slice(before);
				const relayed = recent.filter((message) => message.text.startsWith('flood ')).length;
				const dropped = recent.map((message) => /^… (\d+) console message\(s\) were not relayed/.exec(message.text)).reduce((sum, match) => sum + (match ? Number(match[1]) : 0), 0);
				return relayed + dropped === 1000 && { relayed, dropped };
			};
			const { relayed, dropped } = await waitFor(accounted, { what: 'every flood message to be relayed or counted as dropped' });
			assert.ok(relayed >= 10 && relayed <= 100, `${relayed} relayed`);
			assert.ok(dropped >= 900, `${dropped} dropped`);
		} finally {
			await page.close();
		}
	});

	it('is off unless enabled: the client does not wrap the console', async () => {
		const plain = await startSession(workspace.root);
		const page = await browser.newPage();
		try {
			await page.goto(`${plain.base}/console.html`);
			await waitFor(() => plain.session.liveReload!.hub.pages.includes('/console.html'), { what: 'the page to connect' });
			const wrapped = await page.evaluate(() => console.log.toString().includes('[native code]'));
			assert.equal(wrapped, true);
		} finally {
			await page.close();
			await plain.close();
		}
	});
});

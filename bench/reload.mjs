// Live-reload latency: from a file write to the WebSocket message, and to an updated page in Chromium,
// with references measured in the same run (a bare fs.watch → WebSocket server; the browser reloading itself).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { formatTable, freePort, percentile, REPO_ROOT, startChild, stopChild } from './lib.mjs';

const WRITES = 40;
const PAGE_WRITES = 30;
const TARGETS = { messageP50: 10, messageP95: 25, pageP50: 60 };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A page of markup and styles only: the client updates it in place. */
const staticPage = (n) => `<!DOCTYPE html><html><head><title>bench</title><link rel="stylesheet" href="style.css"></head>
<body><h1 id="n">${n}</h1><p>Some text.</p></body></html>`;
/** A page with a script: it needs a real reload. The script stamps the time of its first frames. */
const scriptedPage = (n) => `<!DOCTYPE html><html><head><title>bench</title><link rel="stylesheet" href="style.css"></head>
<body><h1 id="n">${n}</h1><script>requestAnimationFrame(() => requestAnimationFrame(() => { window.__paintedAt = performance.timeOrigin + performance.now(); }));</script></body></html>`;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Writes are spaced this far apart (from one write to the next): the server treats changes less than 50 ms apart
 * as one burst (announced once as it starts and once as it ends, see ChangeBatcher), so closer writes would
 * measure the burst rule, not the latency of a save.
 */
const WRITE_SPACING_MS = 100;
const untilNextWrite = (writtenAt) => pause(Math.max(0, WRITE_SPACING_MS - (performance.now() - writtenAt)));

function connect(url, origin) {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, { origin });
		socket.once('open', () => resolve(socket));
		socket.once('error', reject);
	});
}

/** Writes a file repeatedly and measures write → first WebSocket message, in ms. */
async function messageLatencies(socket, file, makeContent) {
	const latencies = [];
	for (let i = 0; i < WRITES; i++) {
		const received = new Promise((resolve) => socket.once('message', () => resolve(performance.now())));
		const start = performance.now();
		writeFileSync(file, makeContent(i));
		latencies.push((await received) - start);
		await untilNextWrite(start);
	}
	return latencies;
}

/**
 * Write → the new heading painted. A page that stays (in-place update) is watched by a MutationObserver;
 * a page that reloads stamps its own first frames. Both report epoch milliseconds.
 */
async function pageLatencies(page, url, makePage, write) {
	const latencies = [];
	await page.goto(url);
	for (let i = 0; i < PAGE_WRITES; i++) {
		const text = `${i}-x`;
		await page.evaluate((expected) => {
			window.__paintedAt = undefined;
			new MutationObserver((_, observer) => {
				if (document.getElementById('n')?.textContent !== expected) return;
				observer.disconnect();
				requestAnimationFrame(() => requestAnimationFrame(() => { window.__paintedAt = performance.timeOrigin + performance.now(); }));
			}).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
		}, text);
		const start = Date.now();
		const writtenAt = performance.now();
		write(makePage(text));
		await page.waitForFunction((expected) => document.getElementById('n')?.textContent === expected && window.__paintedAt !== undefined, text, { polling: 'raf', timeout: 10_000 });
		latencies.push((await page.evaluate(() => window.__paintedAt)) - start);
		await untilNextWrite(writtenAt);
	}
	return latencies;
}

export async function benchReload() {
	const root = mkdtempSync(join(tmpdir(), 'lds-bench-reload-'));
	const rawRoot = join(root, 'raw');
	mkdirSync(rawRoot);
	const plainRoot = mkdtempSync(join(tmpdir(), 'lds-bench-plain-'));
	for (const folder of [root, plainRoot]) {
		writeFileSync(join(folder, 'static.html'), staticPage('start'));
		writeFileSync(join(folder, 'scripted.html'), scriptedPage('start'));
		writeFileSync(join(folder, 'style.css'), 'h1 { color: black; }');
	}
	const [ourPort, rawPort, plainPort] = [await freePort(), await freePort(), await freePort()];
	const ours = await startChild([join(REPO_ROOT, 'dist/cli.js'), String(ourPort), '--directory', root, '--quiet'], { readyPattern: /Serving HTTP on/ });
	const raw = await startChild([join(REPO_ROOT, 'bench/rawReloadServer.mjs'), String(rawPort), rawRoot], { readyPattern: /ready/ });
	const plain = await startChild([join(REPO_ROOT, 'dist/cli.js'), String(plainPort), '--directory', plainRoot, '--quiet', '--no-reload'], { readyPattern: /Serving HTTP on/ });
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
	try {
		const base = `http://127.0.0.1:${ourPort}`;
		const html = await (await fetch(`${base}/static.html`)).text();
		const token = /client\.js\?t=([0-9a-f]+)/.exec(html)[1];
		await pause(200); // the watcher's initial scan of this tiny folder

		const ourSocket = await connect(`ws://127.0.0.1:${ourPort}/__live/ws/${token}`, base);
		ourSocket.send(JSON.stringify({ type: 'hello', page: '/elsewhere.html' }));
		const rawSocket = await connect(`ws://127.0.0.1:${rawPort}/`, base);
		const rawLatencies = await messageLatencies(rawSocket, join(rawRoot, 'data.txt'), (i) => `raw ${i}`);
		const jsLatencies = await messageLatencies(ourSocket, join(root, 'data.js'), (i) => `// ${i}`);
		const cssLatencies = await messageLatencies(ourSocket, join(root, 'style.css'), (i) => `h1 { color: rgb(${i}, 0, 0); }`);
		ourSocket.close();
		rawSocket.close();

		const page = await browser.newPage();
		const staticLatencies = await pageLatencies(page, `${base}/static.html`, staticPage, (text) => writeFileSync(join(root, 'static.html'), text));
		const scriptedLatencies = await pageLatencies(page, `${base}/scripted.html`, scriptedPage, (text) => writeFileSync(join(root, 'scripted.html'), text));
		// Reference: the same scripted page served without live reload, reloaded by the browser right after the write.
		const selfReloadLatencies = await pageLatencies(page, `http://127.0.0.1:${plainPort}/scripted.html`, scriptedPage, (text) => {
			writeFileSync(join(plainRoot, 'scripted.html'), text);
			void page.reload().catch(() => {});
		});
		await page.close();

		const stats = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
		const s = { raw: stats(rawLatencies), js: stats(jsLatencies), css: stats(cssLatencies), page: stats(staticLatencies), scripted: stats(scriptedLatencies), self: stats(selfReloadLatencies) };
		const messageOk = (x) => x.p50 <= TARGETS.messageP50 && x.p95 <= TARGETS.messageP95;
		const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
		const ms = (x) => [x.p50.toFixed(1), x.p95.toFixed(1)];
		const rows = [['measure', 'p50 ms', 'p95 ms', 'ratio (p50)', 'target', 'verdict']];
		rows.push(['bare fs.watch → ws message (reference)', ...ms(s.raw), '1.00x', '-', 'ref']);
		rows.push(['save .js → reload message', ...ms(s.js), `${(s.js.p50 / s.raw.p50).toFixed(2)}x ref`, `p50 <= ${TARGETS.messageP50}, p95 <= ${TARGETS.messageP95}`, verdict(messageOk(s.js))]);
		rows.push(['save .css → css message', ...ms(s.css), `${(s.css.p50 / s.raw.p50).toFixed(2)}x ref`, `p50 <= ${TARGETS.messageP50}, p95 <= ${TARGETS.messageP95}`, verdict(messageOk(s.css))]);
		rows.push(['browser reloads page itself (reference)', ...ms(s.self), '1.00x', '-', 'ref']);
		rows.push(['save .html → page updated (no scripts)', ...ms(s.page), `${(s.page.p50 / s.self.p50).toFixed(2)}x ref`, `p50 <= ${TARGETS.pageP50}`, verdict(s.page.p50 <= TARGETS.pageP50)]);
		rows.push(['save .html → page reloaded (scripts)', ...ms(s.scripted), `${(s.scripted.p50 / s.self.p50).toFixed(2)}x ref`, 'info', 'info']);
		console.log(`\nLive reload latency (${WRITES} writes per message row, ${PAGE_WRITES} per page row; Chromium headless)\n${formatTable(rows)}`);
		return { passed: messageOk(s.js) && messageOk(s.css) && s.page.p50 <= TARGETS.pageP50 };
	} finally {
		await browser.close();
		await Promise.all([stopChild(ours), stopChild(raw), stopChild(plain)]);
		rmSync(root, { recursive: true, force: true });
		rmSync(plainRoot, { recursive: true, force: true });
	}
}

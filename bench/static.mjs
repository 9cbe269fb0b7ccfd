// Static serving throughput and latency, as ratios to a raw node:http server answering from memory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, freePort, load, median, peakRssMiB, REPO_ROOT, startChild, stopChild } from './lib.mjs';

const CASES = [
	{ name: '1 KiB file', path: '/f1k.txt', type: 'text/plain; charset=utf-8', target: 0.8 },
	{ name: '100 KiB file', path: '/f100k.txt', type: 'text/plain; charset=utf-8', target: 0.8 },
	{ name: '10 MiB file', path: '/big.bin', type: 'application/octet-stream', target: undefined, rss: true },
	{ name: '1000-entry listing', path: '/list/', type: 'text/html; charset=utf-8', target: 0.3 },
];
const RSS_LIMIT_MIB = 80;

function text(size) {
	const line = 'Live Dev Server benchmark text, compressible and ordinary.\n';
	return line.repeat(Math.ceil(size / line.length)).slice(0, size);
}

function createFixture() {
	const root = mkdtempSync(join(tmpdir(), 'lds-bench-'));
	writeFileSync(join(root, 'f1k.txt'), text(1024));
	writeFileSync(join(root, 'f100k.txt'), text(100 * 1024));
	writeFileSync(join(root, 'big.bin'), randomBytes(10 * 1024 * 1024));
	mkdirSync(join(root, 'list'));
	for (let i = 0; i < 1000; i++) writeFileSync(join(root, 'list', `entry-${String(i).padStart(4, '0')}.txt`), `entry ${i}\n`);
	return root;
}

function fetchBody(url) {
	return new Promise((resolve, reject) => {
		request(url, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve(Buffer.concat(chunks)));
		}).on('error', reject).end();
	});
}

async function startOurs(root) {
	const port = await freePort();
	const child = await startChild([join(REPO_ROOT, 'dist/cli.js'), String(port), '--directory', root], { readyPattern: /Serving HTTP on/ });
	return { child, base: `http://127.0.0.1:${port}` };
}

async function startRaw(root, manifest) {
	const port = await freePort();
	const manifestPath = join(root, '..', `${root.split('/').pop()}-manifest.json`);
	writeFileSync(manifestPath, JSON.stringify(manifest));
	const child = await startChild([join(REPO_ROOT, 'bench/rawServer.mjs'), String(port), manifestPath], { readyPattern: /ready/ });
	return { child, base: `http://127.0.0.1:${port}`, manifestPath };
}

export async function benchStatic({ seconds = 3, rounds = 5 } = {}) {
	const root = createFixture();
	const results = [];
	try {
		// The reference serves exactly the bytes we serve: the listing is captured from our own server.
		const probe = await startOurs(root);
		const listingFile = join(root, '..', `${root.split('/').pop()}-listing.html`);
		writeFileSync(listingFile, await fetchBody(`${probe.base}/list/`));
		await stopChild(probe.child);
		const manifest = Object.fromEntries(CASES.map((c) => [c.path, { file: c.path === '/list/' ? listingFile : join(root, c.path), type: c.type }]));
		const raw = await startRaw(root, manifest);

		for (const benchCase of CASES) {
			const ours = await startOurs(root);
			const rawRuns = [];
			const ourRuns = [];
			for (let round = 0; round < rounds; round++) {
				// Alternate so that drifting machine load hits both sides alike.
				rawRuns.push(await load(raw.base + benchCase.path, { seconds }));
				ourRuns.push(await load(ours.base + benchCase.path, { seconds }));
			}
			const result = {
				name: benchCase.name,
				rawRps: median(rawRuns.map((r) => r.requestsPerSecond)),
				ourRps: median(ourRuns.map((r) => r.requestsPerSecond)),
				rawP50: median(rawRuns.map((r) => r.p50)),
				ourP50: median(ourRuns.map((r) => r.p50)),
				rawP99: median(rawRuns.map((r) => r.p99)),
				ourP99: median(ourRuns.map((r) => r.p99)),
				target: benchCase.target,
			};
			// Each round pairs a reference run with ours back to back; the median of those pairs resists machine noise.
			result.ratio = median(ourRuns.map((run, index) => run.requestsPerSecond / rawRuns[index].requestsPerSecond));
			if (benchCase.rss) result.peakRssMiB = peakRssMiB(ours.child.pid);
			results.push(result);
			await stopChild(ours.child);
		}
		await stopChild(raw.child);
		rmSync(raw.manifestPath, { force: true });
		rmSync(listingFile, { force: true });
	} finally {
		rmSync(root, { recursive: true, force: true });
	}

	const rows = [['case', 'raw req/s', 'ours req/s', 'ratio', 'target', 'p50 raw/ours ms', 'p99 raw/ours ms', 'verdict']];
	for (const r of results) {
		const verdict = r.target === undefined ? 'info' : r.ratio >= r.target ? 'PASS' : 'FAIL';
		rows.push([r.name, Math.round(r.rawRps), Math.round(r.ourRps), r.ratio.toFixed(2) + 'x', r.target === undefined ? '-' : `>= ${r.target}x`, `${r.rawP50} / ${r.ourP50}`, `${r.rawP99} / ${r.ourP99}`, verdict]);
	}
	console.log(`\nStatic serving (autocannon, 10 connections, ${rounds} alternating rounds of ${seconds} s; ratio = median of per-round ratios)\n` + formatTable(rows));
	const rss = results.find((r) => r.peakRssMiB !== undefined);
	const rssVerdict = rss.peakRssMiB < RSS_LIMIT_MIB ? 'PASS' : 'FAIL';
	console.log(`Peak RSS of the server through the 10 MiB case: ${rss.peakRssMiB.toFixed(1)} MiB (target < ${RSS_LIMIT_MIB} MiB) ${rssVerdict}`);
	return { results, passed: results.every((r) => r.target === undefined || r.ratio >= r.target) && rssVerdict === 'PASS' };
}

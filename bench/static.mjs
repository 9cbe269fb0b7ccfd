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
	// Without a watcher every request reads the folder and stats its entries again (the page is reused while
	// nothing changed). The query only keeps the reference's route apart; static files ignore it.
	{ name: '1000-entry listing, --no-reload', path: '/list/?no-reload', type: 'text/html; charset=utf-8', target: undefined, args: ['--no-reload'] },
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

/** Our exact response for a path: its body and the headers a reference can replay (not Date and connection ones). */
function fetchResponse(url) {
	return new Promise((resolve, reject) => {
		request(url, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const headers = { ...res.headers };
				for (const name of ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']) delete headers[name];
				resolve({ body: Buffer.concat(chunks), headers });
			});
		}).on('error', reject).end();
	});
}

async function startOurs(root, args = []) {
	const port = await freePort();
	const child = await startChild([join(REPO_ROOT, 'dist/cli.js'), String(port), '--directory', root, ...args], { readyPattern: /Serving HTTP on/ });
	return { child, base: `http://127.0.0.1:${port}` };
}

async function startRaw(root, name, manifest) {
	const port = await freePort();
	const manifestPath = join(root, '..', `${root.split('/').pop()}-${name}.json`);
	writeFileSync(manifestPath, JSON.stringify(manifest));
	const child = await startChild([join(REPO_ROOT, 'bench/rawServer.mjs'), String(port), manifestPath], { readyPattern: /ready/ });
	return { child, base: `http://127.0.0.1:${port}`, manifestPath };
}

export async function benchStatic({ seconds = 3, rounds = 5 } = {}) {
	const root = createFixture();
	const results = [];
	const bodies = [];
	try {
		// Two references, both bare node:http servers answering from memory: one replays exactly the response we
		// send (same headers, same body; the listing is captured from our server), the other sends the same body
		// with only a Content-Type, the least any server can do.
		const same = {};
		const minimal = {};
		for (const benchCase of CASES) {
			const probe = await startOurs(root, benchCase.args);
			const response = await fetchResponse(`${probe.base}${benchCase.path}`);
			await stopChild(probe.child);
			const file = join(root, '..', `${root.split('/').pop()}-body-${CASES.indexOf(benchCase)}`);
			writeFileSync(file, response.body);
			same[benchCase.path] = { file, headers: response.headers };
			minimal[benchCase.path] = { file, headers: { 'content-type': benchCase.type } };
			bodies.push(file);
		}
		const raw = await startRaw(root, 'same', same);
		const rawMinimal = await startRaw(root, 'minimal', minimal);

		for (const benchCase of CASES) {
			const ours = await startOurs(root, benchCase.args);
			const rawRuns = [];
			const minimalRuns = [];
			const ourRuns = [];
			for (let round = 0; round < rounds; round++) {
				// Alternate so that drifting machine load hits every server alike.
				rawRuns.push(await load(raw.base + benchCase.path, { seconds }));
				ourRuns.push(await load(ours.base + benchCase.path, { seconds }));
				minimalRuns.push(await load(rawMinimal.base + benchCase.path, { seconds }));
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
			result.minimalRatio = median(ourRuns.map((run, index) => run.requestsPerSecond / minimalRuns[index].requestsPerSecond));
			if (benchCase.rss) result.peakRssMiB = peakRssMiB(ours.child.pid);
			results.push(result);
			await stopChild(ours.child);
		}
		for (const reference of [raw, rawMinimal]) {
			await stopChild(reference.child);
			rmSync(reference.manifestPath, { force: true });
		}
		for (const file of bodies) rmSync(file, { force: true });
	} finally {
		rmSync(root, { recursive: true, force: true });
	}

	const rows = [['case', 'raw req/s', 'ours req/s', 'ratio', 'target', 'vs minimal', 'p50 raw/ours ms', 'p99 raw/ours ms', 'verdict']];
	for (const r of results) {
		const verdict = r.target === undefined ? 'info' : r.ratio >= r.target ? 'PASS' : 'FAIL';
		rows.push([r.name, Math.round(r.rawRps), Math.round(r.ourRps), r.ratio.toFixed(2) + 'x', r.target === undefined ? '-' : `>= ${r.target}x`, r.minimalRatio.toFixed(2) + 'x', `${r.rawP50} / ${r.ourP50}`, `${r.rawP99} / ${r.ourP99}`, verdict]);
	}
	console.log(`\nStatic serving (autocannon, 10 connections, ${rounds} alternating rounds of ${seconds} s; ratio = median of per-round ratios)\n` +
		'raw = bare node:http replaying our exact response from memory; vs minimal = against one sending the body with only a Content-Type\n' + formatTable(rows));
	const rss = results.find((r) => r.peakRssMiB !== undefined);
	const rssVerdict = rss.peakRssMiB < RSS_LIMIT_MIB ? 'PASS' : 'FAIL';
	console.log(`Peak RSS of the server through the 10 MiB case: ${rss.peakRssMiB.toFixed(1)} MiB (target < ${RSS_LIMIT_MIB} MiB) ${rssVerdict}`);
	return { results, passed: results.every((r) => r.target === undefined || r.ratio >= r.target) && rssVerdict === 'PASS' };
}

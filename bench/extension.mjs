// Extension start-up costs, measured outside VS Code:
// - activation: a fresh Node process loads dist/extension.js (with a stub `vscode`) and calls activate();
// - server ready: fork dist/server.js with IPC, LSP initialize, liveDevServer/start, first HTTP 200 — the
//   work behind the Start command — as a ratio to a bare `node -e "http.createServer().listen()"` child
//   measured in the same run (the floor any Node-based server start has on this machine).
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatTable, median, REPO_ROOT } from './lib.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, IPCMessageReader, IPCMessageWriter } = require('vscode-jsonrpc/node');

const TARGET_ACTIVATION_MS = 50;
const TARGET_READY_MS = 300;

function get(url) {
	return new Promise((resolve, reject) => {
		request(url, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		}).on('error', reject).end();
	});
}

/** A bare Node HTTP server child: spawn until it listens. */
function baselineOnce() {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, ['-e', "require('http').createServer().listen(0, '127.0.0.1', () => console.log('ready'))"], { stdio: ['ignore', 'pipe', 'ignore'] });
		child.stdout.once('data', () => {
			const ms = performance.now() - started;
			child.kill();
			resolve(ms);
		});
		child.once('error', reject);
	});
}

/** dist/server.js: fork → initialize → liveDevServer/start → first 200. */
async function serverReadyOnce(root) {
	const started = performance.now();
	const child = fork(join(REPO_ROOT, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
	const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
	connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({ port: 0 })));
	connection.onRequest('client/registerCapability', () => null);
	connection.listen();
	const folderUri = pathToFileURL(root).href;
	await connection.sendRequest('initialize', {
		processId: process.pid,
		rootUri: folderUri,
		workspaceFolders: [{ uri: folderUri, name: 'bench' }],
		initializationOptions: { clientDir: join(REPO_ROOT, 'dist') },
		capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
	});
	await connection.sendNotification('initialized', {});
	const initialized = performance.now();
	const { url } = await connection.sendRequest('liveDevServer/start', { folderUri, trusted: true });
	const status = await get(url);
	const ready = performance.now();
	if (status !== 200) throw new Error(`first request answered ${status}`);
	await connection.sendRequest('shutdown');
	await connection.sendNotification('exit');
	await new Promise((resolve) => child.once('exit', resolve));
	connection.dispose();
	return { total: ready - started, initialize: initialized - started, start: ready - initialized };
}

function activationOnce() {
	const output = execFileSync(process.execPath, [join(REPO_ROOT, 'bench', 'activate.cjs'), join(REPO_ROOT, 'dist', 'extension.js')], { encoding: 'utf8' });
	return JSON.parse(output);
}

export async function benchExtension({ rounds = 9 } = {}) {
	const root = mkdtempSync(join(tmpdir(), 'lds-bench-ext-'));
	writeFileSync(join(root, 'index.html'), '<!DOCTYPE html><html><head><title>bench</title></head><body>hello</body></html>');
	const baseline = [];
	const ready = [];
	const activation = [];
	try {
		// One warm-up of each (disk cache), then alternate so drift affects both alike.
		await baselineOnce();
		await serverReadyOnce(root);
		for (let round = 0; round < rounds; round++) {
			baseline.push(await baselineOnce());
			ready.push(await serverReadyOnce(root));
			activation.push(activationOnce());
		}
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
	const minified = !/sourceMappingURL/.test(execFileSync('tail', ['-c', '200', join(REPO_ROOT, 'dist', 'extension.js')], { encoding: 'utf8' }));
	const baselineMs = median(baseline);
	const readyMs = median(ready.map((r) => r.total));
	const loadMs = median(activation.map((a) => a.loadMs));
	const activateMs = median(activation.map((a) => a.activateMs));
	const activationMs = median(activation.map((a) => a.loadMs + a.activateMs));
	const rows = [
		['measure (median of ' + rounds + ')', 'ms', 'ratio to bare node', 'target', 'met'],
		['bare node http child ready', baselineMs.toFixed(1), '1.00', '', ''],
		['server ready (fork+initialize+start+200)', readyMs.toFixed(1), (readyMs / baselineMs).toFixed(2), `< ${TARGET_READY_MS} ms`, readyMs < TARGET_READY_MS ? 'yes' : 'NO'],
		['  of which fork+initialize', median(ready.map((r) => r.initialize)).toFixed(1), '', '', ''],
		['  of which start+first 200', median(ready.map((r) => r.start)).toFixed(1), '', '', ''],
		[`extension load (${minified ? 'minified' : 'dev build'})`, loadMs.toFixed(1), '', '', ''],
		['extension activate()', activateMs.toFixed(2), '', '', ''],
		['activation (load + activate)', activationMs.toFixed(1), '', `< ${TARGET_ACTIVATION_MS} ms`, activationMs < TARGET_ACTIVATION_MS ? 'yes' : 'NO'],
	];
	console.log('\n== extension start-up ==');
	console.log(formatTable(rows));
	return { passed: readyMs < TARGET_READY_MS && activationMs < TARGET_ACTIVATION_MS };
}

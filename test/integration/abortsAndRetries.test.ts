import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBackend, type TestBackend } from '../helpers/backend';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let backend: TestBackend;
/** Answers the first request on each connection (keep-alive), then resets the connection at the next one. */
let flaky: http.Server;
const flakySeen: string[] = [];
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	fs.chmodSync(workspace.write('cgi-bin/slow.sh', '#!/bin/sh\ntouch "$DOCUMENT_ROOT/slow.started"\nsleep 20\n'), 0o755);
	backend = await startBackend();
	const served = new WeakMap<Socket, number>();
	flaky = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
		flakySeen.push(`${req.method} ${req.url}`);
		const count = (served.get(req.socket) ?? 0) + 1;
		served.set(req.socket, count);
		if (count > 1) return void req.socket.resetAndDestroy(); // a backend that dropped the kept-alive connection
		req.resume();
		req.on('end', () => res.end(`answered ${req.method}`));
	});
	await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
	server = await startSession(workspace.root, {
		cgi: { enabled: true, dirs: ['/cgi-bin'], timeoutMs: 20_000, interpreters: {} },
		proxy: [{ path: '/api', target: backend.url }, { path: '/flaky', target: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}` }],
	});
});

after(async () => {
	await server?.close();
	await backend?.close();
	flaky?.closeAllConnections();
	await new Promise<void>((resolve) => flaky?.close(() => resolve()));
	workspace?.remove();
});

/** Sends a GET and gives up on it (the browser tab closed) once `ready` says the server is working on it. */
async function abandon(url: string, ready: () => boolean): Promise<void> {
	const req = http.get(url, { agent: false });
	req.on('error', () => undefined);
	try {
		await waitFor(ready, { what: `${url} to be under way` });
	} finally {
		req.destroy();
	}
}

const logged = (urlPath: string) => waitFor(() => server.logs.find((entry) => entry.path === urlPath), { what: `a log entry for ${urlPath}` });

describe('a client that leaves before the answer', () => {
	it('is logged as 499 (client closed request) for a CGI script, which is stopped', async () => {
		await abandon(`${server.base}/cgi-bin/slow.sh`, () => fs.existsSync(path.join(workspace.root, 'slow.started')));
		const entry = await logged('/cgi-bin/slow.sh');
		assert.equal(entry.status, 499);
		assert.equal(entry.source, 'cgi');
		assert.match(entry.error ?? '', /client closed the connection/);
	});

	it('is logged as 499 for a proxied request, and the backend request is aborted', async () => {
		await abandon(`${server.base}/api/slow`, () => backend.requests.some((seen) => seen.url === '/api/slow'));
		const entry = await logged('/api/slow');
		assert.equal(entry.status, 499);
		assert.equal(entry.source, 'proxy');
		await waitFor(() => backend.requests.find((seen) => seen.url === '/api/slow')?.aborted, { what: 'the backend request to be aborted' });
	});

	it('does not change what answered requests log', async () => {
		assert.equal((await request(`${server.base}/api/status/201`)).status, 201);
		assert.equal((await logged('/api/status/201')).status, 201);
	});
});

describe('a kept-alive backend connection that turns out to be closed', () => {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	after(() => agent.destroy());

	it('is retried for a GET without a body', async () => {
		assert.equal((await request(`${server.base}/flaky/warm`, { agent })).text, 'answered GET');
		flakySeen.length = 0;
		const res = await request(`${server.base}/flaky/again`, { agent });
		assert.equal(res.status, 200);
		assert.equal(res.text, 'answered GET');
		assert.deepEqual(flakySeen, ['GET /flaky/again', 'GET /flaky/again']);
	});

	for (const method of ['POST', 'DELETE']) {
		it(`is never retried for a ${method}, even without a body: 502`, async () => {
			assert.equal((await request(`${server.base}/flaky/warm`, { agent })).text, 'answered GET');
			flakySeen.length = 0;
			const res = await request(`${server.base}/flaky/act`, { method, agent });
			assert.equal(res.status, 502);
			assert.deepEqual(flakySeen, [`${method} /flaky/act`], 'sent once');
		});
	}
});

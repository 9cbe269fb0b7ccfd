import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startBackend, unusedPort, type TestBackend } from '../helpers/backend';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let backend: TestBackend;
let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	backend = await startBackend();
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root, {
		proxy: [
			{ path: '/api', target: backend.url },
			{ path: '/stripped', target: `${backend.url}/api/` },
			{ path: '/slow', target: backend.url, timeoutMs: 300 },
			{ path: '/down', target: `http://127.0.0.1:${await unusedPort()}` },
		],
	});
});

after(async () => {
	await server?.close();
	await backend?.close();
	workspace?.remove();
});

const lastLog = (path: string) => waitFor(() => [...server.logs].reverse().find((entry) => entry.path === path), { what: `a log entry for ${path}` });

describe('HTTP proxy', () => {
	it('forwards method, path, query, body and headers; sets X-Forwarded-*; drops hop-by-hop headers', async () => {
		const res = await request(`${server.base}/api/echo?x=1&y=%20`, {
			method: 'PUT',
			body: '{"a":1}',
			headers: { 'Content-Type': 'application/json', 'X-Custom': 'kept', Connection: 'keep-alive, X-Hop', 'X-Hop': 'dropped', 'Keep-Alive': 'timeout=5' },
			agent: new http.Agent({ keepAlive: true }),
		});
		assert.equal(res.status, 200);
		const seen = JSON.parse(res.text) as { method: string; url: string; headers: Record<string, string>; body: string };
		assert.equal(seen.method, 'PUT');
		assert.equal(seen.url, '/api/echo?x=1&y=%20');
		assert.equal(seen.body, '{"a":1}');
		assert.equal(seen.headers['x-custom'], 'kept');
		assert.equal(seen.headers['content-type'], 'application/json');
		assert.equal(seen.headers['x-hop'], undefined);
		assert.equal(seen.headers['keep-alive'], undefined);
		assert.equal(seen.headers.host, `127.0.0.1:${backend.port}`, 'Host is the target (changeOrigin)');
		assert.equal(seen.headers['x-forwarded-host'], `127.0.0.1:${server.port}`);
		assert.equal(seen.headers['x-forwarded-proto'], 'http');
		assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
	});

	it("relays the backend's status and headers, and logs them with source 'proxy'", async () => {
		const res = await request(`${server.base}/api/status/418`);
		assert.equal(res.status, 418);
		assert.equal(res.headers['x-backend'], 'yes');
		assert.equal(res.text, 'status 418');
		const entry = await lastLog('/api/status/418');
		assert.equal(entry.status, 418);
		assert.equal(entry.source, 'proxy');
		assert.equal((await request(`${server.base}/api/status/500`)).status, 500);
	});

	it('keeps repeated Set-Cookie headers and drops headers the backend marked hop-by-hop', async () => {
		const res = await request(`${server.base}/api/cookies`);
		assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
		assert.equal(res.headers['x-private'], undefined);
	});

	it('replaces the prefix when the target has a path', async () => {
		const res = await request(`${server.base}/stripped/echo?q=1`);
		assert.equal((JSON.parse(res.text) as { url: string }).url, '/api/echo?q=1');
	});

	it('turns redirects to the backend into paths on the dev server', async () => {
		const res = await request(`${server.base}/api/redirect`);
		assert.equal(res.status, 302);
		assert.equal(res.headers.location, '/api/echo?from=redirect');
	});

	it('streams response bodies without waiting for the end', async () => {
		const chunks: string[] = [];
		const done = new Promise<string>((resolve, reject) => {
			http.get(`${server.base}/api/stream`, { agent: false }, (res) => {
				res.on('data', (chunk: Buffer) => {
					chunks.push(chunk.toString());
					if (chunks.length === 1) backend.releaseStream(); // the first half arrived while the backend still holds the rest
				});
				res.on('end', () => resolve(chunks.join('')));
			}).on('error', reject);
		});
		assert.equal(await done, 'first;second');
		assert.equal(chunks[0], 'first;');
	});

	it('streams request bodies to the backend as they arrive', async () => {
		const text = await new Promise<string>((resolve, reject) => {
			const req = http.request(`${server.base}/api/upload`, { method: 'POST', agent: false, headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
				let body = '';
				res.on('data', (chunk: Buffer) => {
					body += chunk.toString();
					if (body === 'got:part1;') req.end('part2'); // the backend answered before the upload finished
				});
				res.on('end', () => resolve(body));
			});
			req.on('error', reject);
			req.write('part1');
		});
		assert.equal(text, 'got:part1;end');
	});

	it('injects the live-reload script into proxied HTML pages', async () => {
		const res = await request(`${server.base}/api/page`, { headers: { Accept: 'text/html' } });
		assert.equal(res.status, 200);
		assert.match(res.text, /backend page/);
		assert.match(res.text, /__live\/client\.js\?t=/);
		assert.equal(Number(res.headers['content-length']), res.body.length);
		const forwarded = backend.requests.find((entry) => entry.url === '/api/page')!;
		assert.equal(forwarded.headers['accept-encoding'], 'identity', 'page loads ask for an uncompressed body');
	});

	it('answers 502 with an error page when the backend is down, and logs why', async () => {
		const res = await request(`${server.base}/down/x`);
		assert.equal(res.status, 502);
		assert.match(String(res.headers['content-type']), /^text\/html/);
		assert.match(res.text, /refused the connection/);
		const entry = await lastLog('/down/x');
		assert.equal(entry.source, 'proxy');
		assert.match(entry.error ?? '', /refused the connection/);
	});

	it('answers 504 when the backend does not answer in time', async () => {
		const started = Date.now();
		const res = await request(`${server.base}/slow/slow`);
		assert.equal(res.status, 504);
		assert.ok(Date.now() - started < 5000);
		assert.match((await lastLog('/slow/slow')).error ?? '', /did not answer within 300 ms/);
	});

	it('aborts the backend request when the client goes away', async () => {
		const before = backend.requests.length;
		const req = http.get(`${server.base}/api/slow`, { agent: false });
		req.on('error', () => {});
		const record = await waitFor(() => backend.requests.slice(before).find((entry) => entry.url === '/api/slow'), { what: 'the backend to receive the request' });
		req.destroy();
		await waitFor(() => record.aborted, { what: 'the backend request to be aborted' });
	});
});

describe('WebSocket proxy', () => {
	const wsBase = () => server.base.replace(/^http/, 'ws');

	it('forwards upgrades and pipes frames both ways', async () => {
		const socket = new WebSocket(`${wsBase()}/api/socket`);
		const messages: string[] = [];
		socket.on('message', (data) => messages.push(data.toString()));
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		await waitFor(() => messages.length >= 1, { what: 'the greeting' });
		assert.equal(messages[0], `hello /api/socket 127.0.0.1:${server.port}`);
		socket.send('ping');
		await waitFor(() => messages.includes('echo:ping'), { what: 'the echo' });
		socket.close();
		const entry = await lastLog('/api/socket');
		assert.equal(entry.status, 101);
		assert.equal(entry.source, 'proxy');
	});

	it("relays a backend's refusal", async () => {
		const status = await new Promise<number>((resolve) => {
			const socket = new WebSocket(`${wsBase()}/api/refuse`);
			socket.once('unexpected-response', (_req, res) => {
				resolve(res.statusCode ?? 0);
				socket.terminate();
			});
			socket.once('open', () => resolve(101));
			socket.once('error', () => resolve(0));
		});
		assert.equal(status, 403);
	});

	it('answers 502 when the backend is down', async () => {
		const status = await new Promise<number>((resolve) => {
			const socket = new WebSocket(`${wsBase()}/down/socket`);
			socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			socket.once('error', () => resolve(0));
		});
		assert.equal(status, 502);
	});

	it('ends proxied WebSockets when the session closes (they would hold the server open)', async () => {
		const own = await startSession(workspace.root, { reload: false, proxy: [{ path: '/api', target: backend.url }] });
		const socket = new WebSocket(`${own.base.replace(/^http/, 'ws')}/api/socket`);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
		const started = Date.now();
		let timer: NodeJS.Timeout | undefined;
		const tooSlow = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('the session did not close within 3 s')), 3000)));
		try {
			await Promise.race([Promise.all([own.close(), closed]), tooSlow]);
		} finally {
			clearTimeout(timer);
			socket.terminate();
		}
		assert.ok(Date.now() - started < 900, `closing took ${Date.now() - started} ms`);
	});

	it('still serves live reload and static files next to the proxy', async () => {
		assert.equal((await request(`${server.base}/notes.txt`)).status, 200);
		assert.equal((await request(`${server.base}/apix`)).status, 404, 'a longer name is not under the prefix');
	});
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startBackend, type TestBackend } from '../helpers/backend';
import { rawRequest } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

// `curl --http2 http://…` asks to switch to h2c with `Upgrade: h2c`. Only WebSocket is an upgrade here: any
// other is an ordinary request (RFC 9110 §7.8 lets a server ignore Upgrade), answered and logged as usual.
let backend: TestBackend;
let workspace: TempWorkspace;
let server: TestServer;

const H2C = 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n';

before(async () => {
	backend = await startBackend();
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root, { proxy: [{ path: '/api', target: backend.url }] });
});

after(async () => {
	await server?.close();
	await backend?.close();
	workspace?.remove();
});

/** The status codes of every response in a raw reply, in order. */
const statuses = (text: string) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));

describe('Upgrade: h2c (and other non-WebSocket upgrades)', () => {
	it('is answered as a plain request, logged, and the connection keeps working', async () => {
		const raw = await rawRequest(server.port, `GET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n${H2C}\r\nGET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
		assert.deepEqual(statuses(raw.text), [200, 200]);
		assert.match(raw.text, /plain text file/);
		assert.doesNotMatch(raw.text, /101 Switching/);
		const entry = await waitFor(() => server.logs.find((logged) => logged.path === '/notes.txt'), { what: 'a log entry for the h2c request' });
		assert.equal(entry.status, 200);
		assert.equal(entry.source, 'static');
	});

	it('pipelined behind a request still being answered, waits its turn (responses stay in order)', async () => {
		const pending = rawRequest(server.port, `GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`, { idleMs: 2000 });
		await waitFor(() => backend.requests.some((seen) => seen.url === '/api/stream'), { what: 'the first request to reach the backend' });
		backend.releaseStream();
		const raw = await pending;
		assert.deepEqual(statuses(raw.text), [200, 200], raw.text);
		const second = raw.text.indexOf('second');
		const notes = raw.text.indexOf('plain text file');
		assert.ok(second !== -1 && notes > second, `the streamed response ends before the next one starts:\n${raw.text}`);
	});

	it('under a proxy prefix, is forwarded as an ordinary request with its body (no Upgrade header)', async () => {
		const raw = await rawRequest(server.port, `POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n${H2C}Content-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world`);
		assert.deepEqual(statuses(raw.text), [200]);
		const seen = backend.requests.at(-1)!;
		assert.equal(seen.url, '/api/echo');
		assert.equal(seen.method, 'POST');
		assert.equal(seen.body, 'hello world');
		assert.equal(seen.headers.upgrade, undefined);
		assert.equal(seen.headers['http2-settings'], undefined);
		assert.match(raw.text, /"body":"hello world"/);
	});

	it('a mis-spelled or unknown protocol is a plain request too (404 for a missing file, as without Upgrade)', async () => {
		const raw = await rawRequest(server.port, 'GET /missing.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, close\r\nUpgrade: foo/1\r\n\r\n');
		assert.deepEqual(statuses(raw.text), [404]);
		assert.ok(await waitFor(() => server.logs.find((logged) => logged.path === '/missing.txt' && logged.status === 404), { what: 'the log entry' }));
	});

	it('WebSocket upgrades still work, for live reload and through the proxy', async () => {
		const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`);
		const hello = await new Promise<string>((resolve, reject) => {
			socket.once('message', (data) => resolve(data.toString()));
			socket.once('error', reject);
		});
		socket.close();
		assert.match(hello, /^hello \/api\/ws/);
	});

	it('over HTTPS too', async () => {
		const certDir = fs.mkdtempSync(path.join(workspace.root, '..', 'lds-h2c-certs-'));
		const secure = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			const text = await new Promise<string>((resolve, reject) => {
				const socket = tls.connect({ host: '127.0.0.1', port: secure.port, rejectUnauthorized: false }, () => {
					socket.write(`GET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n${H2C.replace('HTTP2-Settings\r\n', 'HTTP2-Settings, close\r\n')}\r\n`);
				});
				let received = '';
				socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
				socket.on('end', () => resolve(received));
				socket.on('error', reject);
				socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
			});
			assert.deepEqual(statuses(text), [200]);
			assert.match(text, /plain text file/);
		} finally {
			await secure.close();
			fs.rmSync(certDir, { recursive: true, force: true });
		}
	});
});

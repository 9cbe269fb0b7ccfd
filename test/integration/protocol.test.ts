import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DiskFileSource } from '../../server-core/documents/fileSource';
import { HttpServer } from '../../server-core/http/httpServer';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;
const HEADERS_TIMEOUT_MS = 400;

before(async () => {
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root, { headersTimeoutMs: HEADERS_TIMEOUT_MS });
});

after(async () => {
	await server.close();
	workspace.remove();
});

const raw = (text: string) => rawRequest(server.port, text);

describe('methods', () => {
	it('answers other standard methods on static files with 405 and Allow', async () => {
		for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
			// DELETE has no body framing by default in node:http, so only the others send one.
			const res = await request(`${server.base}/index.html`, method === 'DELETE' ? { method } : { method, body: 'x' });
			assert.equal(res.status, 405, method);
			assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
			assert.match(res.text, /<dd>405<\/dd>/);
		}
	});

	it('never echoes TRACE', async () => {
		const reply = await raw('TRACE / HTTP/1.1\r\nHost: localhost\r\nX-Secret: do-not-echo\r\nConnection: close\r\n\r\n');
		assert.equal(rawStatus(reply), 405);
		assert.ok(!reply.text.includes('do-not-echo'));
	});

	it('answers unknown methods with 501, whether Node parses them or not', async () => {
		assert.equal(rawStatus(await raw('PROPFIND / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')), 501);
		const reply = await raw('BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n');
		assert.equal(rawStatus(reply), 501);
		assert.match(reply.text, /Not Implemented/);
		assert.match(reply.text, /<dd>Unsupported method \(&quot;BREW&quot;\)<\/dd>/);
	});

	it('answers a request line that is not one with 400 "Bad request syntax", as http.server does', async () => {
		const reply = await raw('GARBAGE\r\n\r\n');
		assert.equal(rawStatus(reply), 400);
		assert.match(reply.text, /<dd>400<\/dd>/);
		assert.match(reply.text, /<dd>Bad request syntax \(&quot;GARBAGE&quot;\)<\/dd>/);
		assert.match(reply.text, /\r\nServer: LiveDevServer\//);
		assert.equal(reply.closed, true);
	});

	it('answers OPTIONS with 204 and Allow, and refuses CONNECT tunnels', async () => {
		const options = await request(`${server.base}/index.html`, { method: 'OPTIONS' });
		assert.equal(options.status, 204);
		assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
		assert.match(String(options.headers.server), /^LiveDevServer\//);
		assert.equal(rawStatus(await raw('OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')), 204);
		assert.equal(rawStatus(await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')), 405);
	});
});

describe('connections', () => {
	it('keeps HTTP/1.1 connections alive across requests', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const sockets = new Set<net.Socket>();
			for (let i = 0; i < 3; i++) {
				await new Promise<void>((resolve, reject) => {
					const req = http.get(`${server.base}/notes.txt`, { agent }, (res) => {
						sockets.add(res.socket);
						assert.equal(res.headers.connection, 'keep-alive');
						res.resume();
						res.on('end', resolve);
					});
					req.on('error', reject);
				});
			}
			assert.equal(sockets.size, 1, 'all three requests used one connection');
		} finally {
			agent.destroy();
		}
	});

	it('serves HTTP/1.0 clients and closes after the response', async () => {
		const reply = await raw('GET /notes.txt HTTP/1.0\r\n\r\n');
		assert.match(reply.text, /^HTTP\/1\.1 200 OK/);
		assert.match(reply.text, /plain text file/);
		assert.equal(reply.closed, true);
	});

	it('answers pipelined requests in order', async () => {
		const reply = await raw('GET /notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /data.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
		const first = reply.text.indexOf('plain text file');
		const second = reply.text.indexOf('"fixture"');
		assert.ok(first > 0 && second > first);
	});

	it('answers Expect: 100-continue with the final status directly when the body is not wanted', async () => {
		const reply = await raw('POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n');
		assert.match(reply.text, /^HTTP\/1\.1 405 Method Not Allowed\r\n/, 'no 100 Continue before the 405');
		assert.doesNotMatch(reply.text, /100 Continue/);
		assert.match(reply.text, /\r\nAllow: GET, HEAD, OPTIONS\r\n/);
		assert.match(reply.text, /<dd>405<\/dd>/);
		assert.equal(reply.closed, true, 'the unsent body leaves the framing in doubt: the connection closes');
	});

	it('sends 100 Continue, then the final status, when the body is read', async () => {
		// A bare HttpServer whose handler reads the body (as handlers, the proxy and CGI do).
		const echo = new HttpServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => res.end(`got ${Buffer.concat(chunks).toString()}`));
		}, { host: '127.0.0.1', port: 0, portExplicit: true });
		const { port } = await echo.listen();
		try {
			const socket = net.connect(port, '127.0.0.1');
			let received = '';
			socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
			const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
			socket.write('POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
			// The client sends the body only after the 100, as curl does.
			await waitFor(() => received.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), { what: '100 Continue' });
			assert.doesNotMatch(received, /200/);
			socket.write('abc');
			await closed;
			assert.match(received, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
			assert.match(received, /got abc$/);
		} finally {
			await echo.close();
		}
	});

	it('answers other expectations with a 417 error page, logged', async () => {
		const before = server.logs.length;
		const reply = await raw('GET /notes.txt HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\n\r\n');
		assert.equal(rawStatus(reply), 417);
		assert.match(reply.text, /<dd>417<\/dd>/);
		assert.match(reply.text, /\r\nServer: LiveDevServer\//);
		assert.match(reply.text, /\r\nContent-Length: \d+\r\n/);
		assert.doesNotMatch(reply.text, /plain text file/);
		assert.equal(reply.closed, true);
		const entry = await waitFor(() => server.logs.slice(before).find((e) => e.status === 417), { what: 'the 417 log entry' });
		assert.equal(entry.path, '/notes.txt');
	});

	it('answers 431 to oversized headers', async () => {
		const reply = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
		assert.equal(rawStatus(reply), 431);
		assert.match(reply.text, /<dd>431<\/dd>/);
	});

	it('answers 400 to malformed requests and keeps serving', async () => {
		const garbage = [
			'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', // a TLS handshake: someone typed https://
			'GET / HTTP/9.9\r\n\r\n',
			'GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n',
			'GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n',
			'GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n', // smuggling shape
		];
		for (const payload of garbage) {
			const reply = await rawRequest(server.port, Buffer.from(payload, 'latin1'));
			assert.equal(rawStatus(reply), 400, JSON.stringify(payload));
			assert.match(reply.text, /<dd>400<\/dd>/);
			assert.equal(reply.closed, true);
		}
		assert.equal((await request(`${server.base}/notes.txt`)).status, 200);
	});

	it('times out a client that never finishes its headers, without blocking others', async () => {
		const slow = net.connect(server.port, '127.0.0.1');
		const received: Buffer[] = [];
		slow.on('data', (chunk: Buffer) => received.push(chunk));
		const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
		slow.write('GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
		// Meanwhile another client is served at once.
		assert.equal((await request(`${server.base}/notes.txt`)).status, 200);
		await closed;
		assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 408 /);
	});
});

describe('server-side failures', () => {
	it('answer a 500 error page without a stack trace, log the cause, and keep serving', async () => {
		// A file source that fails the way a broken disk or a bug would.
		const source = new DiskFileSource();
		const failing = Object.assign(Object.create(source) as DiskFileSource, {
			readFile: async (file: string) => {
				if (file.endsWith('notes.txt')) throw new Error('simulated I/O failure at /secret/internal/path');
				return source.readFile(file);
			},
		});
		const broken = await startSession(workspace.root, { source: failing });
		try {
			const res = await request(`${broken.base}/notes.txt`);
			assert.equal(res.status, 500);
			assert.match(res.text, /<dd>500<\/dd>/);
			assert.ok(!res.text.includes('simulated I/O failure'), 'the cause stays in the log');
			assert.ok(!/\bat .+:\d+:\d+/.test(res.text), 'no stack trace');
			const entry = await waitFor(() => broken.logs.find((e) => e.path === '/notes.txt'));
			assert.equal(entry.status, 500);
			assert.match(entry.error ?? '', /simulated I\/O failure/);
			assert.equal((await request(`${broken.base}/data.json`)).status, 200);
		} finally {
			await broken.close();
		}
	});
});

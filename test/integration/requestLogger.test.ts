import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { rawRequest, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

const raw = (text: string) => rawRequest(server.port, text);

describe('request log', () => {
	it('produces one entry per request with status, bytes, timing and redacted headers', async () => {
		const before = server.logs.length;
		await request(`${server.base}/notes.txt?q=1`, { headers: { Cookie: 'session=s3cret', Authorization: 'Bearer s3cret', 'X-Trace': 'abc' } });
		const entry = await waitFor(() => server.logs.slice(before).find((e) => e.path === '/notes.txt?q=1'), { what: 'log entry' });
		assert.equal(server.logs.slice(before).filter((e) => e.path === '/notes.txt?q=1').length, 1);
		assert.equal(entry.method, 'GET');
		assert.equal(entry.status, 200);
		assert.equal(entry.protocol, 'HTTP/1.1');
		assert.equal(entry.bytes, 'plain text file\n'.length);
		assert.equal(entry.source, 'static');
		assert.match(entry.clientAddress, /127\.0\.0\.1/);
		assert.ok(entry.durationMs >= 0 && entry.durationMs < 10_000);
		assert.ok(Math.abs(entry.time - Date.now()) < 60_000);
		assert.equal(entry.requestHeaders['x-trace'], 'abc');
		assert.equal(entry.requestHeaders.cookie, '[redacted]');
		assert.equal(entry.requestHeaders.authorization, '[redacted]');
		assert.equal(entry.responseHeaders['content-type'], 'text/plain; charset=utf-8');
		assert.ok(!JSON.stringify(entry).includes('s3cret'));
	});

	it('logs a download as complete, with the client address, when the client hangs up right after the last byte', async () => {
		// Streamed (too large for the memory cache); the client closes the moment it has Content-Length bytes.
		const size = 700 * 1024;
		workspace.write('download.bin', Buffer.alloc(size, 7));
		const before = server.logs.length;
		const rounds = 100;
		for (let round = 0; round < rounds; round++) {
			const received = await downloadThenHangUp(server.port, '/download.bin');
			assert.equal(received, size);
		}
		const entries = await waitFor(() => { const list = server.logs.slice(before); return list.length >= rounds && list; }, { what: `${rounds} log entries` });
		const cut = entries.filter((entry) => entry.error !== undefined);
		assert.deepEqual(cut.map((entry) => entry.error), [], 'no complete download is logged as cut short');
		for (const entry of entries) {
			assert.equal(entry.status, 200);
			assert.equal(entry.bytes, size);
			assert.equal(entry.clientAddress, '127.0.0.1');
		}
	});

	it('logs requests Node rejects before the pipeline (malformed, oversized, too slow) as structured entries', async () => {
		const before = server.logs.length;
		await raw('GARBAGE\r\n\r\n');
		await raw(`GET /big-headers HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
		const entries = await waitFor(() => { const list = server.logs.slice(before); return list.length >= 2 && list; }, { what: 'two client-error entries' });
		const [garbage, oversized] = entries;
		assert.deepEqual([garbage!.status, garbage!.source, garbage!.method, garbage!.path], [400, 'error', '-', '-']);
		assert.match(garbage!.error ?? '', /Bad request syntax \("GARBAGE"\) \(HPE_INVALID_METHOD\)/);
		assert.equal(garbage!.clientAddress, '127.0.0.1');
		assert.ok(garbage!.bytes > 0, 'the error page is counted');
		assert.deepEqual([oversized!.status, oversized!.method, oversized!.path, oversized!.protocol], [431, 'GET', '/big-headers', 'HTTP/1.1']);
		assert.match(oversized!.error ?? '', /HPE_HEADER_OVERFLOW/);
	});

	it('logs errors, HEAD and 304 with zero body bytes', async () => {
		const before = server.logs.length;
		await request(`${server.base}/missing.txt`);
		await request(`${server.base}/notes.txt`, { method: 'HEAD' });
		const etag = (await request(`${server.base}/notes.txt`)).headers.etag;
		await request(`${server.base}/notes.txt`, { headers: { 'If-None-Match': String(etag) } });
		const entries = await waitFor(() => { const list = server.logs.slice(before); return list.length >= 4 && list; });
		assert.deepEqual(entries.map((e) => [e.method, e.status]), [['GET', 404], ['HEAD', 200], ['GET', 200], ['GET', 304]]);
		assert.ok(entries[0]!.bytes > 0, 'the 404 page has a body');
		assert.equal(entries[1]!.bytes, 0);
		assert.equal(entries[3]!.bytes, 0);
	});
});

/** A keep-alive GET whose client destroys the socket as soon as the whole body has arrived; resolves with the body size. */
function downloadThenHangUp(port: number, target: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
		let head = '';
		let bodyBytes = 0;
		let expected: number | undefined;
		socket.on('data', (chunk: Buffer) => {
			if (expected === undefined) {
				head += chunk.toString('latin1');
				const end = head.indexOf('\r\n\r\n');
				if (end === -1) return;
				expected = Number(/content-length: (\d+)/i.exec(head.slice(0, end))?.[1]);
				bodyBytes = head.length - end - 4;
			} else bodyBytes += chunk.length;
			if (bodyBytes >= expected) {
				socket.destroy();
				resolve(bodyBytes);
			}
		});
		socket.on('error', reject);
		socket.on('close', () => reject(new Error(`closed after ${bodyBytes} body bytes`)));
	});
}

import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { SettingsError } from '../../server-core/features/settingsError';
import { unusedPort } from '../helpers/backend';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

// A proxy rule that leads back to the server itself (directly, or through another proxy) must end at once, not
// after ~1400 hops and 170 MB when the headers overflow.
let workspace: TempWorkspace;
let server: TestServer;
let relay: http.Server;
let relayed = 0;

before(async () => {
	workspace = createTempWorkspace('site');
	// Another proxy in between (as a second dev server would be): it forwards everything to `server`, Via included.
	relay = http.createServer((req, res) => {
		relayed++;
		const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (upstreamRes) => {
			res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
			upstreamRes.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	relay.on('upgrade', (req, socket) => {
		relayed++;
		const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers, agent: false });
		upstream.on('response', (upstreamRes) => {
			socket.end(`HTTP/1.1 ${upstreamRes.statusCode} ${upstreamRes.statusMessage}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
			upstreamRes.resume();
		});
		upstream.on('upgrade', (_res, upstreamSocket) => {
			upstreamSocket.destroy();
			socket.destroy();
		});
		upstream.on('error', () => socket.destroy());
		upstream.end();
	});
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
	server = await startSession(workspace.root, { proxy: [{ path: '/loop', target: `http://127.0.0.1:${(relay.address() as AddressInfo).port}` }] });
});

after(async () => {
	await server?.close();
	relay?.closeAllConnections();
	await new Promise<void>((resolve) => relay?.close(() => resolve()));
	workspace?.remove();
});

describe('proxy loops', () => {
	it('answer 508 Loop Detected when a request comes back through this server', async () => {
		relayed = 0;
		const res = await request(`${server.base}/loop/x`, { timeoutMs: 5000 });
		assert.equal(res.status, 508);
		assert.match(res.text, /loop/i);
		assert.equal(relayed, 1, 'stopped at the first return, not after a thousand hops');
		const entries = await waitFor(() => {
			const found = server.logs.filter((entry) => entry.path === '/loop/x');
			return found.length === 2 && found;
		}, { what: 'the two log entries (the request, and its return)' });
		assert.ok(entries.some((entry) => /came back to this server/.test(entry.error ?? '')), JSON.stringify(entries));
	});

	it('send Via to the backend, appended to what the client sent', async () => {
		const seen: http.IncomingHttpHeaders[] = [];
		const echo = http.createServer((req, res) => {
			seen.push(req.headers);
			res.end('ok');
		});
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		const viaServer = await startSession(workspace.root, { proxy: [{ path: '/echo', target: `http://127.0.0.1:${(echo.address() as AddressInfo).port}` }] });
		try {
			await request(`${viaServer.base}/echo/a`, { headers: { Via: '1.0 corporate-proxy' } });
			assert.match(String(seen[0]?.via), /^1\.0 corporate-proxy, 1\.1 live-dev-server-[0-9a-f]+$/);
		} finally {
			await viaServer.close();
			echo.closeAllConnections();
			await new Promise<void>((resolve) => echo.close(() => resolve()));
		}
	});

	it('end WebSocket upgrades that come back too', async () => {
		relayed = 0;
		const socket = new WebSocket(`ws://127.0.0.1:${server.port}/loop/ws`);
		const status = await new Promise<number>((resolve, reject) => {
			socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			socket.on('open', () => reject(new Error('the looping upgrade was accepted')));
			socket.on('error', () => resolve(-1));
		});
		socket.terminate();
		assert.equal(status, 508);
		assert.equal(relayed, 1);
	});

	it('refuse at start-up a target that is the server\'s own (explicit) port', async () => {
		const port = await unusedPort();
		for (const target of [`http://127.0.0.1:${port}`, `http://localhost:${port}/api`]) {
			await assert.rejects(
				startSession(workspace.root, { port, portExplicit: true, proxy: [{ path: '/self', target }] }),
				(error: unknown) => error instanceof SettingsError && error.setting === 'proxy[0].target' && /this server itself/.test(error.message),
				target,
			);
		}
	});
});

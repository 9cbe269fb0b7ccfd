import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { startBackend, type TestBackend } from '../helpers/backend';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let backend: TestBackend;
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('wasm/app.wasm', Buffer.from([0, 0x61, 0x73, 0x6d]));
	backend = await startBackend();
	server = await startSession(workspace.root, {
		headers: {
			'*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Opener-Policy': 'same-origin' },
			'*.txt': { 'Cache-Control': 'max-age=60', 'X-Text': 'yes' },
			'sub/**': { 'X-Sub': 'yes' },
			'api/**': { 'X-Backend': 'from-settings', 'X-Added': 'yes' },
			'**': { 'X-Everywhere': 'yes' },
		},
		cors: ['http://localhost:3000'],
		proxy: [{ path: '/api', target: backend.url }],
	});
});

after(async () => {
	await server?.close();
	await backend?.close();
	workspace?.remove();
});

describe('custom response headers', () => {
	it('are added to matching static files, overriding the file server\'s own', async () => {
		const wasm = await request(`${server.base}/wasm/app.wasm`);
		assert.equal(wasm.headers['cross-origin-embedder-policy'], 'require-corp');
		assert.equal(wasm.headers['cross-origin-opener-policy'], 'same-origin');
		const text = await request(`${server.base}/notes.txt`);
		assert.equal(text.headers['cache-control'], 'max-age=60', 'overrides the default no-cache');
		assert.equal(text.headers['x-text'], 'yes');
		assert.equal(text.headers['cross-origin-embedder-policy'], undefined);
	});

	it('apply to 304s, error pages and listings under a matching path', async () => {
		const first = await request(`${server.base}/notes.txt`);
		const revalidated = await request(`${server.base}/notes.txt`, { headers: { 'If-None-Match': String(first.headers.etag) } });
		assert.equal(revalidated.status, 304);
		assert.equal(revalidated.headers['x-text'], 'yes');
		const missing = await request(`${server.base}/missing.txt`);
		assert.equal(missing.status, 404);
		assert.equal(missing.headers['x-text'], 'yes');
		const folder = await request(`${server.base}/sub/`);
		assert.equal(folder.headers['x-sub'], 'yes');
	});

	it('add to proxied responses without overriding what the backend set', async () => {
		const res = await request(`${server.base}/api/status/200`);
		assert.equal(res.headers['x-backend'], 'yes', "the backend's own header wins");
		assert.equal(res.headers['x-added'], 'yes');
	});

	it('never touch the live-reload endpoint, though a "**" rule and an allowed Origin apply to everything else', async () => {
		const headers = { Origin: 'http://localhost:3000' };
		const script = await request(`${server.base}/app.js`, { headers });
		assert.equal(script.headers['x-everywhere'], 'yes', 'the rule matches scripts (control)');
		assert.equal(script.headers['access-control-allow-origin'], 'http://localhost:3000', 'the Origin is allowed (control)');
		for (const path of ['/__live/client.js', '/__live/ws/not-the-token', '/__live/nothing']) {
			const res = await request(`${server.base}${path}`, { headers });
			assert.ok([200, 404, 426].includes(res.status), `${path} -> ${res.status}`);
			assert.equal(res.headers['x-everywhere'], undefined, path);
			assert.equal(res.headers['access-control-allow-origin'], undefined, path);
			assert.doesNotMatch(String(res.headers.vary ?? ''), /\bOrigin\b/, path);
		}
	});
});

describe('custom header values Node refuses', () => {
	it('stop the session before it listens (SettingsError naming the setting), instead of dropping every header', async () => {
		await assert.rejects(
			startSession(workspace.root, { headers: { '**': { 'X-Name': 'café ☕', 'X-Other': 'yes' } }, cors: ['http://localhost:3000'] }),
			(error: unknown) => error instanceof SettingsError && error.setting === 'headers' && /X-Name/.test(error.message),
		);
	});
});

describe('CORS', () => {
	it('echoes an allowed Origin with Vary: Origin', async () => {
		const res = await request(`${server.base}/notes.txt`, { headers: { Origin: 'http://localhost:3000' } });
		assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
		assert.match(String(res.headers.vary), /\bOrigin\b/);
	});

	it('sends no CORS header to other origins (but still Vary: Origin)', async () => {
		const res = await request(`${server.base}/notes.txt`, { headers: { Origin: 'http://evil.example' } });
		assert.equal(res.headers['access-control-allow-origin'], undefined);
		assert.match(String(res.headers.vary), /\bOrigin\b/);
	});

	it('answers a preflight from an allowed origin with 204 and the allowed methods and headers', async () => {
		const res = await request(`${server.base}/api/echo`, {
			method: 'OPTIONS',
			headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type, x-token', 'Access-Control-Request-Private-Network': 'true' },
		});
		assert.equal(res.status, 204);
		assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
		assert.match(String(res.headers['access-control-allow-methods']), /\bPUT\b/);
		assert.equal(res.headers['access-control-allow-headers'], 'content-type, x-token');
		assert.equal(res.headers['access-control-allow-private-network'], 'true');
		assert.equal(res.headers['access-control-max-age'], '600');
	});

	it('does not answer preflights from other origins', async () => {
		const res = await request(`${server.base}/notes.txt`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PUT' } });
		assert.equal(res.headers['access-control-allow-origin'], undefined);
		assert.equal(res.headers['access-control-allow-methods'], undefined);
	});

	it('sends "*" only when "*" was configured', async () => {
		const any = await startSession(workspace.root, { cors: ['*'] });
		try {
			const res = await request(`${any.base}/notes.txt`, { headers: { Origin: 'http://whoever.example' } });
			assert.equal(res.headers['access-control-allow-origin'], '*');
		} finally {
			await any.close();
		}
	});

	it('is off by default: no CORS header at all, whatever the Origin', async () => {
		const plain = await startSession(workspace.root, { proxy: [{ path: '/api', target: backend.url }] });
		try {
			// Files, the live-reload endpoint, an error page and a proxied response.
			for (const [path, status] of [['/notes.txt', 200], ['/__live/client.js', 200], ['/missing.txt', 404], ['/api/status/200', 200]] as const) {
				const res = await request(`${plain.base}${path}`, { headers: { Origin: 'http://localhost:3000' } });
				assert.equal(res.status, status, path);
				const cors = Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
				assert.deepEqual(cors, [], path);
				assert.doesNotMatch(String(res.headers.vary ?? ''), /\bOrigin\b/, path);
			}
			const preflight = await request(`${plain.base}/notes.txt`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT' } });
			assert.deepEqual(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-')), []);
		} finally {
			await plain.close();
		}
	});
});

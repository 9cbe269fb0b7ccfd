import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBackend, type TestBackend } from '../helpers/backend';
import { rawRequest, rawStatus } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

// Dot segments are resolved by whoever reads the path: forwarded raw, `/api/../admin` reaches the backend's /admin
// (or, with a target path, climbs out of it), though the rule only covers /api. They are refused, never forwarded.
let backend: TestBackend;
let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	backend = await startBackend();
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root, {
		proxy: [
			{ path: '/api', target: backend.url },
			{ path: '/v', target: `${backend.url}/inner/` },
		],
	});
});

after(async () => {
	await server?.close();
	await backend?.close();
	workspace?.remove();
});

const get = (target: string, extra = '') => rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);

describe('proxied paths with dot segments', () => {
	const refused = ['/api/../secret', '/v/../secret', '/api/./echo', '/api/%2e%2e/secret', '/api/.%2E/secret', '/api/%2E/echo', '/api/..%2fsecret', '/api/..%5csecret', '/api/x/..', '/v/a/../../etc/passwd'];
	for (const target of refused) {
		it(`answers 400 and forwards nothing: ${target}`, async () => {
			const before = backend.requests.length;
			const raw = await get(target);
			assert.equal(rawStatus(raw), 400, raw.text.slice(0, 200));
			assert.equal(backend.requests.length, before, `the backend saw ${backend.requests.slice(before).map((request) => request.url).join(', ')}`);
		});
	}

	it('refuses WebSocket upgrades with dot segments too', async () => {
		let upgrades = 0;
		backend.server.on('upgrade', () => upgrades++);
		const raw = await get('/api/../ws', 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: Upgrade\r\n');
		assert.equal(rawStatus(raw), 400);
		assert.equal(upgrades, 0);
	});

	it('still forwards ordinary paths, dots inside names included', async () => {
		for (const target of ['/api/echo', '/api/file.name/x', '/api/...', '/api/.well-known/x']) {
			const raw = await get(target);
			assert.equal(rawStatus(raw), 200, `${target}: ${raw.text.slice(0, 120)}`);
		}
	});
});

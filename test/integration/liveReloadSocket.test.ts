import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refusedUpgrade, tokenFromPage, upgradeStatus } from '../helpers/liveClient';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: TestServer;
let token: string;
let wsBase: string;

before(async () => {
	workspace = createTempWorkspace('site');
	server = await startSession(workspace.root, { allowedHosts: ['dev.example.test'] });
	token = await tokenFromPage(server.base);
	wsBase = `${server.base.replace('http', 'ws')}/__live/ws/`;
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('WebSocket endpoint', () => {
	it('accepts the session token from loopback pages', async () => {
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Origin: server.base }), 101);
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Origin: `http://localhost:${server.port}` }), 101);
		assert.equal(await upgradeStatus(`${wsBase}${token}`), 101, 'no Origin: not a browser page');
	});

	it('accepts a page served under the Host it connects with: a forwarded name or address', async () => {
		// 10.11.12.13 is no address of this machine: a port forward or a container's published port reaches it so.
		const forwarded = `10.11.12.13:${server.port}`;
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Host: forwarded, Origin: `http://${forwarded}` }), 101);
		const named = `dev.example.test:${server.port}`;
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Host: named, Origin: `http://${named}` }), 101);
	});

	it('refuses a wrong token, a foreign Origin or Host, and other upgrade paths', async () => {
		assert.equal(await upgradeStatus(`${wsBase}not-the-token`), 403);
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Origin: 'http://evil.example' }), 403);
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Origin: 'null' }), 403);
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Host: 'evil.example' }), 403);
		const forwarded = `10.11.12.13:${server.port}`;
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Host: forwarded, Origin: 'http://10.11.12.14:' + server.port }), 403, 'same port, another address');
		assert.equal(await upgradeStatus(`${wsBase}${token}`, { Host: forwarded, Origin: 'http://10.11.12.13:1' }), 403, 'same address, another port');
		assert.equal(await upgradeStatus(`${server.base.replace('http', 'ws')}/__live/other`), 404);
		assert.equal(await upgradeStatus(`${server.base.replace('http', 'ws')}/socket`), 404);
	});

	it('answers every refused upgrade with a status line, then closes the socket (none lingers half-open)', async () => {
		const cases: [string, Record<string, string>, number][] = [
			['/__live/ws/not-the-token', {}, 403],
			[`/__live/ws/${token}`, { Origin: 'http://evil.example' }, 403],
			[`/__live/ws/${token}`, { Host: 'evil.example' }, 403],
			['/__live/other', {}, 404],
			['/socket', {}, 404],
		];
		for (const [target, headers, status] of cases) {
			assert.deepEqual(await refusedUpgrade(server.port, target, headers), { status, closedByServer: true }, `${target} ${JSON.stringify(headers)}`);
		}
	});
});

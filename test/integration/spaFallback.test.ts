import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: TestServer;
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'; // what Chromium sends for a navigation

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('.env', 'SECRET=1');
	workspace.write('.git/config', '[core]');
	workspace.write('app/shell.html', '<!DOCTYPE html><html><head><title>shell</title></head><body>app shell</body></html>');
	server = await startSession(workspace.root, { spa: 'app/shell.html' });
});

after(async () => {
	await server?.close();
	workspace?.remove();
});

describe('SPA fallback', () => {
	// The live-reload script is linked relative to the URL the browser shows, not to the fallback file.
	const fallback: [string, string, string][] = [
		['/dashboard', 'a client-side route', '"__live/client.js?'],
		['/users/42/profile', 'a nested route', '"../../__live/client.js?'],
		['/users/42/profile?tab=a', 'a route with a query', '"../../__live/client.js?'],
		['/missing/', 'a missing folder path', '"../__live/client.js?'],
	];
	for (const [target, what, script] of fallback) {
		it(`answers ${what} (${target}) with the fallback file, live reload included`, async () => {
			const res = await request(`${server.base}${target}`, { headers: { Accept: HTML } });
			assert.equal(res.status, 200);
			assert.match(res.text, /app shell/);
			assert.ok(res.text.includes(script), `expected ${script} in ${res.text}`);
			assert.match(String(res.headers['content-type']), /^text\/html/);
		});
	}

	it('answers HEAD too, and logs the request under its own path', async () => {
		const res = await request(`${server.base}/dashboard`, { method: 'HEAD', headers: { Accept: HTML } });
		assert.equal(res.status, 200);
		assert.equal(res.body.length, 0);
		const entry = server.logs.find((log) => log.path === '/dashboard' && log.method === 'HEAD');
		assert.equal(entry?.status, 200);
		assert.equal(entry?.source, 'static');
	});

	const notFallback: [string, Record<string, string>, string, number][] = [
		['/app.missing.js', { Accept: HTML }, 'an asset path (extension)', 404],
		['/logo.png', { Accept: 'image/avif,image/webp,*/*' }, 'an image request', 404],
		['/dashboard', { Accept: 'application/json' }, 'a fetch that does not accept HTML', 404],
		['/dashboard', { Accept: '*/*' }, 'a client that accepts anything (curl)', 404],
		['/dashboard', {}, 'a request without Accept', 404],
	];
	for (const [target, headers, what, status] of notFallback) {
		it(`leaves ${what} alone (${target} -> ${status})`, async () => {
			const res = await request(`${server.base}${target}`, { headers });
			assert.equal(res.status, status);
			assert.doesNotMatch(res.text, /app shell/);
		});
	}

	it('never applies to other methods', async () => {
		assert.equal((await request(`${server.base}/dashboard`, { method: 'POST', headers: { Accept: HTML } })).status, 405);
	});

	it('serves existing files and folders as usual', async () => {
		const page = await request(`${server.base}/sub/`, { headers: { Accept: HTML } });
		assert.equal(page.status, 200);
		assert.doesNotMatch(page.text, /app shell/);
		assert.equal((await request(`${server.base}/sub`, { headers: { Accept: HTML } })).status, 301);
		assert.equal((await request(`${server.base}/notes.txt`, { headers: { Accept: HTML } })).text, 'plain text file\n');
	});

	const refused = ['/.env', '/.git', '/.git/config', '/.hidden-route', '/sub/../../etc/passwd', '/%2e%2e/%2e%2e/etc', '/a%00b'];
	for (const target of refused) {
		it(`does not bypass the dotfile and traversal checks: ${target}`, async () => {
			const raw = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nAccept: ${HTML}\r\nConnection: close\r\n\r\n`);
			assert.ok([400, 403].includes(rawStatus(raw)), `${target} -> ${rawStatus(raw)}`);
			assert.doesNotMatch(raw.text, /app shell|SECRET/);
		});
	}
});

describe('SPA fallback settings', () => {
	it('refuses a fallback file outside the served folder or hidden', async () => {
		for (const spa of ['../outside.html', '.env', 'sub/']) {
			await assert.rejects(startSession(workspace.root, { spa }), /Invalid SPA fallback file/);
		}
	});

	it('refuses a fallback file that does not exist, or is a folder (every page route would be a 404)', async () => {
		await assert.rejects(startSession(workspace.root, { spa: 'nope.html' }), (error: unknown) => error instanceof SettingsError && error.setting === 'spa' && /nope\.html does not exist/.test(error.message));
		await assert.rejects(startSession(workspace.root, { spa: 'app' }), (error: unknown) => error instanceof SettingsError && /app is not a file/.test(error.message));
	});
});

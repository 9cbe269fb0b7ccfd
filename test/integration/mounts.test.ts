import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let outside: TempWorkspace;
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('node_modules/lib/index.js', 'export const lib = 1;\n');
	workspace.write('node_modules/lib/.npmrc', 'token=SECRET');
	workspace.write('node_modules/lib/readme/index.html', '<p>lib readme</p>');
	workspace.write('node_modules/secret-neighbour.txt', 'NEIGHBOUR');
	outside = createTempWorkspace();
	outside.write('shared/theme.css', 'body { color: red; }\n');
	outside.write('shared/deep/x.txt', 'deep');
	outside.write('private.txt', 'PRIVATE');
	fs.symlinkSync(path.join(outside.root, 'private.txt'), path.join(outside.root, 'shared', 'escape.txt'));
	server = await startSession(workspace.root, {
		mounts: [
			{ path: '/node_modules', dir: 'node_modules' },
			{ path: '/node_modules/lib', dir: path.join(workspace.root, 'node_modules', 'lib') },
			{ path: '/vendor/', dir: path.join(outside.root, 'shared') },
		],
	});
});

after(async () => {
	await server?.close();
	workspace?.remove();
	outside?.remove();
});

describe('mounts', () => {
	it('serve folders under URL prefixes, from inside or outside the served folder', async () => {
		const lib = await request(`${server.base}/node_modules/lib/index.js`);
		assert.equal(lib.status, 200);
		assert.equal(lib.text, 'export const lib = 1;\n');
		assert.match(String(lib.headers['content-type']), /javascript/);
		const css = await request(`${server.base}/vendor/theme.css`);
		assert.equal(css.status, 200);
		assert.equal(css.text, 'body { color: red; }\n');
		assert.equal((await request(`${server.base}/vendor/deep/x.txt`)).text, 'deep');
	});

	it('serve index files with live reload, and redirect folder URLs to their slash form with the prefix', async () => {
		const readme = await request(`${server.base}/node_modules/lib/readme/`);
		assert.match(readme.text, /lib readme/);
		assert.match(readme.text, /__live\/client\.js/);
		const redirect = await request(`${server.base}/node_modules/lib/readme?x=1`);
		assert.equal(redirect.status, 301);
		assert.equal(redirect.headers.location, '/node_modules/lib/readme/?x=1');
		const root = await request(`${server.base}/vendor`);
		assert.equal(root.status, 301);
		assert.equal(root.headers.location, '/vendor/');
	});

	it('list folders under their full URL', async () => {
		const listing = await request(`${server.base}/vendor/`);
		assert.equal(listing.status, 200);
		assert.match(listing.text, /<a href="\/vendor\/">vendor\/<\/a>/);
		assert.match(listing.text, /theme\.css/);
	});

	it('let the longest prefix win', async () => {
		// /node_modules/lib is its own mount: the neighbour file of /node_modules is not reachable through it.
		assert.equal((await request(`${server.base}/node_modules/lib/secret-neighbour.txt`)).status, 404);
		assert.equal((await request(`${server.base}/node_modules/secret-neighbour.txt`)).status, 200);
	});

	const escapes = [
		'/vendor/../private.txt',
		'/vendor/%2e%2e/private.txt',
		'/vendor/%2e%2e%2fprivate.txt',
		'/vendor/..%5cprivate.txt',
		'/vendor//../private.txt',
		'/node_modules/lib/.npmrc',
		'/node_modules/lib/%2enpmrc',
	];
	for (const target of escapes) {
		it(`refuse to leave the mounted folder or show dotfiles: ${target}`, async () => {
			const raw = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
			assert.ok([400, 403].includes(rawStatus(raw)), `${target} -> ${rawStatus(raw)}`);
			assert.doesNotMatch(raw.text, /PRIVATE|SECRET/);
		});
	}

	it('refuse symbolic links that lead out of the mounted folder', async () => {
		const res = await request(`${server.base}/vendor/escape.txt`);
		assert.equal(res.status, 403);
		assert.doesNotMatch(res.text, /PRIVATE/);
	});

	it('answer other methods like static files do', async () => {
		assert.equal((await request(`${server.base}/vendor/theme.css`, { method: 'POST' })).status, 405);
	});

	it('must point at existing folders', async () => {
		await assert.rejects(startSession(workspace.root, { mounts: [{ path: '/x', dir: 'does-not-exist' }] }),
			(error: unknown) => error instanceof SettingsError && /does not exist/.test(error.message) && error.setting === 'mounts[0].dir');
		await assert.rejects(startSession(workspace.root, { mounts: [{ path: '/x', dir: 'notes.txt' }] }), /is not a folder/);
		await assert.rejects(startSession(workspace.root, { mounts: [{ path: '/', dir: '.' }] }), /must not be "\/"/);
	});
});

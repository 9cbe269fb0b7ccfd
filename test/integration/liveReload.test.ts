import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { request } from '../helpers/httpRequest';
import { connectLiveClient, tokenFromPage } from '../helpers/liveClient';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;
let token: string;

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('about.html', '<!DOCTYPE html><html><head><title>About</title></head><body>about</body></html>');
	workspace.write('node_modules/lib/index.js', 'ignored');
	server = await startSession(workspace.root);
	await server.session.watching;
	token = await tokenFromPage(server.base);
});

after(async () => {
	await server.close();
	workspace.remove();
});

/** Waits until the hub knows which page each client shows (their hello arrived). */
async function helloReceived(...pages: string[]): Promise<void> {
	await waitFor(() => pages.every((page) => server.session.liveReload!.hub.pages.includes(page)), { what: `hello from ${pages.join(', ')}` });
}

describe('script injection', () => {
	it('injects the client after <head> with exact Content-Length, and HEAD agrees', async () => {
		const get = await request(`${server.base}/`);
		assert.match(get.text, new RegExp(`<head>\\n?<script src="__live/client\\.js\\?t=${token}"></script>`));
		assert.equal(Number(get.headers['content-length']), get.body.length);
		assert.equal(get.headers['accept-ranges'], undefined, 'ranges do not apply to rewritten HTML');
		const head = await request(`${server.base}/`, { method: 'HEAD' });
		assert.equal(head.headers['content-length'], get.headers['content-length']);
		assert.equal(head.headers.etag, get.headers.etag);
		const again = await request(`${server.base}/`, { headers: { 'If-None-Match': String(get.headers.etag) } });
		assert.equal(again.status, 304);
		const ranged = await request(`${server.base}/`, { headers: { Range: 'bytes=0-9' } });
		assert.equal(ranged.status, 200, 'Range is ignored for injected HTML');
	});

	it('writes the client URL relative to the page, so that it also resolves under a proxy path prefix', async () => {
		const cases = [
			['/', '__live/client.js'], ['/index.html', '__live/client.js'], ['/sub/', '../__live/client.js'], ['/sub/page.html', '../__live/client.js'],
			['/files/', '../__live/client.js'], ['/files/zdir/missing.html', '../../__live/client.js'], ['/sub//page.html', '../../__live/client.js'],
			['/sub/page.html', '../__live/client.js'], // again after the odd URL: the cached body follows the URL, not the file
		];
		for (const [urlPath, expected] of cases) {
			const res = await request(`${server.base}${urlPath}`);
			const src = /<script src="([^"?]+)\?t=/.exec(res.text)?.[1];
			assert.equal(src, expected, urlPath);
			// code-server serves the port at /proxy/<port>/ and strips that prefix before passing requests on.
			assert.equal(new URL(src!, `http://127.0.0.1:8080/proxy/5500${urlPath}`).pathname, '/proxy/5500/__live/client.js', urlPath);
		}
	});

	it('injects into listings and error pages too, never into other types', async () => {
		assert.match((await request(`${server.base}/files/`)).text, /"\.\.\/__live\/client\.js\?t=/);
		assert.match((await request(`${server.base}/missing.html`)).text, /"__live\/client\.js\?t=/);
		for (const urlPath of ['/style.css', '/app.js', '/data.json', '/notes.txt']) {
			const res = await request(`${server.base}${urlPath}`);
			assert.ok(!res.text.includes('__live'), urlPath);
			assert.equal(Number(res.headers['content-length']), fs.statSync(path.join(workspace.root, urlPath)).size, urlPath);
		}
	});

	it('serves the client script and reserves /__live/', async () => {
		const client = await request(`${server.base}/__live/client.js`);
		assert.equal(client.status, 200);
		assert.equal(client.headers['content-type'], 'text/javascript; charset=utf-8');
		assert.equal(client.text, fs.readFileSync(path.join(REPO_ROOT, 'dist', 'live-reload.js'), 'utf8'), 'the bundled client, as it is');
		assert.equal((await request(`${server.base}/__live/other`)).status, 404);
		assert.equal((await request(`${server.base}/__live/ws/${token}`)).status, 426);
	});

	it('is off with reload disabled', async () => {
		const plain = await startSession(workspace.root, { reload: false });
		try {
			const res = await request(`${plain.base}/`);
			assert.ok(!res.text.includes('__live'));
			assert.equal((await request(`${plain.base}/__live/client.js`)).status, 404);
		} finally {
			await plain.close();
		}
	});
});

describe('change notifications', () => {
	it('sends page after the shown page is written, css after a stylesheet is written, reload after a script', async () => {
		const client = await connectLiveClient(server.base, token, { page: '/' });
		try {
			await helloReceived('/');
			workspace.write('index.html', fs.readFileSync(path.join(workspace.root, 'index.html'), 'utf8').replace('Fixture home', 'Edited home'));
			assert.deepEqual(await client.next(), { type: 'page' });
			workspace.write('app.js', '// edited script');
			assert.deepEqual(await client.next(), { type: 'reload' });
			workspace.write('style.css', 'h1 { color: red; }\n');
			assert.deepEqual(await client.next(), { type: 'css', paths: ['/style.css'] });
		} finally {
			client.close();
		}
	});

	it('reloads only the pages showing a changed document', async () => {
		const home = await connectLiveClient(server.base, token, { page: '/' });
		const about = await connectLiveClient(server.base, token, { page: '/about.html' });
		try {
			await helloReceived('/', '/about.html');
			workspace.write('about.html', '<html><head></head><body>about v2</body></html>');
			assert.deepEqual(await about.next(), { type: 'page' });
			// The home page must not have been told anything: the next change it sees is this stylesheet.
			workspace.write('style.css', 'p { color: blue; }\n');
			assert.deepEqual(await home.next(), { type: 'css', paths: ['/style.css'] });
			assert.deepEqual(home.messages, [{ type: 'css', paths: ['/style.css'] }]);
		} finally {
			home.close();
			about.close();
		}
	});

	it('reloads every page when a changed document is shown nowhere (it may be fetched or framed)', async () => {
		const client = await connectLiveClient(server.base, token, { page: '/about.html' });
		try {
			await helloReceived('/about.html');
			workspace.write('sub/page.html', '<p>changed fragment</p>');
			assert.deepEqual(await client.next(), { type: 'reload' });
		} finally {
			client.close();
		}
	});

	it('coalesces a burst of writes into one message and ignores node_modules and dotfiles', async () => {
		const client = await connectLiveClient(server.base, token);
		try {
			await helloReceived('/');
			workspace.write('node_modules/lib/index.js', 'changed but ignored');
			workspace.write('.env', 'SECRET=1');
			for (let i = 0; i < 5; i++) workspace.write(`burst/file${i}.js`, `// ${i}`);
			assert.deepEqual(await client.next(), { type: 'reload' });
			// Nothing else is pending: the next message is for this later, separate change.
			workspace.write('style.css', 'a { color: green; }\n');
			assert.deepEqual(await client.next(), { type: 'css', paths: ['/style.css'] });
			assert.equal(client.messages.length, 2);
		} finally {
			client.close();
		}
	});

	it('serves many clients, and a client that vanishes rudely costs nothing', async () => {
		const clients = await Promise.all(Array.from({ length: 40 }, () => connectLiveClient(server.base, token)));
		const before = server.session.liveReload!.clientCount;
		clients[0]!.socket.terminate();
		(clients[1]!.socket as WebSocket & { _socket: import('node:net').Socket })._socket.destroy();
		await waitFor(() => server.session.liveReload!.clientCount === before - 2, { what: 'rude clients to be dropped' });
		workspace.write('app.js', '// reloaded');
		const remaining = clients.slice(2);
		const messages = await Promise.all(remaining.map((client) => client.next()));
		assert.ok(messages.every((message) => message.type === 'reload'));
		for (const client of remaining) client.close();
		assert.equal((await request(`${server.base}/notes.txt`)).status, 200);
	});

	it('reloads every browser on demand', async () => {
		const client = await connectLiveClient(server.base, token);
		try {
			server.session.liveReload!.reloadAll();
			assert.deepEqual(await client.next(), { type: 'reload' });
		} finally {
			client.close();
		}
	});
});

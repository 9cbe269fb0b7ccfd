import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHandlerSession } from '../helpers/handlerSession';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let outside: TempWorkspace;
let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	outside = createTempWorkspace();
	outside.write('secret.txt', 'TOP SECRET');
	outside.write('secret-dir/inner.txt', 'INNER SECRET');
	// The served root is a sibling whose name shares a prefix with the outside folder ("<x>" vs "<x>-site").
	workspace = createTempWorkspace('site');
	workspace.write('.env', 'API_KEY=123');
	workspace.write('.git/config', '[core]');
	workspace.write('sub/.secret', 'x');
	workspace.write('.well-known/security.txt', 'Contact: me');
	fs.symlinkSync(path.join(outside.root, 'secret.txt'), path.join(workspace.root, 'link-out.txt'));
	fs.symlinkSync(path.join(outside.root, 'secret-dir'), path.join(workspace.root, 'dir-out'));
	fs.symlinkSync(path.join(workspace.root, 'notes.txt'), path.join(workspace.root, 'link-in.txt'));
	// Ordinary names leading to dotfiles: the dotfile rule must hold after the links are resolved.
	fs.symlinkSync('.env', path.join(workspace.root, 'envlink'));
	fs.symlinkSync('.git', path.join(workspace.root, 'gitlink'));
	fs.symlinkSync('.git/config', path.join(workspace.root, 'config-link.txt'));
	fs.symlinkSync('.well-known', path.join(workspace.root, 'wellknown-link'));
	workspace.write('links/plain.txt', 'plain');
	fs.symlinkSync(path.join(outside.root, 'secret.txt'), path.join(workspace.root, 'links/out.txt'));
	fs.symlinkSync(path.join(outside.root, 'secret-dir'), path.join(workspace.root, 'links/dir-out'));
	fs.symlinkSync('../.env', path.join(workspace.root, 'links/env.txt'));
	fs.symlinkSync('../notes.txt', path.join(workspace.root, 'links/in.txt'));
	fs.symlinkSync('../sub', path.join(workspace.root, 'links/sub-in'));
	server = await startSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
	outside.remove();
});

/** Our error page, not Node's bare reply: status line, Server and Content-Length, and the code/message/explanation body. */
function assertErrorPage(text: string, code: number, message: RegExp): void {
	const [head = '', body = ''] = text.split('\r\n\r\n');
	assert.match(head, /\r\nServer: LiveDevServer\//i);
	assert.match(head, /\r\nContent-Type: text\/html; charset=utf-8/i);
	const length = /\r\nContent-Length: (\d+)/i.exec(head);
	assert.ok(length, 'a Content-Length, not a chunked empty body');
	assert.equal(Buffer.byteLength(body, 'latin1'), Number(length[1]));
	assert.match(body, new RegExp(`<dt>Error code</dt><dd>${code}</dd>`));
	assert.match(body, /<dt>Message<\/dt><dd>[^<]+<\/dd>/);
	assert.match(body, /<dt>Explanation<\/dt><dd>[^<]+<\/dd>/);
	assert.match(body, message);
}

const rawGet = (target: string, host = 'localhost') => rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

describe('path traversal (raw requests a client library would normalise)', () => {
	const attempts = [
		'/../../../../etc/passwd',
		'/sub/../../../etc/passwd',
		'/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
		'/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
		'/..%2f..%2f..%2fetc%2fpasswd',
		'/..%5c..%5c..%5cetc%5cpasswd',
		'/sub/..\\..\\etc\\passwd',
		'/index.html%00.txt',
		'/%c0%ae%c0%ae/etc/passwd',
	];
	for (const target of attempts) {
		it(`refuses ${target}`, async () => {
			const raw = await rawGet(target);
			const status = rawStatus(raw);
			assert.ok(status === 400 || status === 403, `${target} -> ${status}`);
			assert.ok(!raw.text.includes('root:'), 'no file content leaks');
		});
	}

	it('refuses an absolute-form target that climbs out', async () => {
		const raw = await rawGet(`http://localhost:${server.port}/%2e%2e/%2e%2e/etc/passwd`);
		assert.ok([400, 403].includes(rawStatus(raw)));
	});
});

describe('symbolic links', () => {
	it('refuses links that resolve outside the root, with 403', async () => {
		const file = await request(`${server.base}/link-out.txt`);
		assert.equal(file.status, 403);
		assert.ok(!file.text.includes('TOP SECRET'));
		const dir = await request(`${server.base}/dir-out/inner.txt`);
		assert.equal(dir.status, 403);
		assert.ok(!dir.text.includes('INNER SECRET'));
		assert.equal((await request(`${server.base}/dir-out/`)).status, 403);
	});

	it('serves links that stay inside the root', async () => {
		const res = await request(`${server.base}/link-in.txt`);
		assert.equal(res.status, 200);
		assert.equal(res.text, 'plain text file\n');
	});

	it('lists only the links that can be followed, never the size or date of what they refuse', async () => {
		const res = await request(`${server.base}/links/`);
		assert.equal(res.status, 200);
		const names = [...res.text.matchAll(/<td><a href="([^"]+)">/g)].map((match) => match[1]);
		assert.deepEqual(names, ['../', 'sub-in/', 'in.txt', 'plain.txt']);
		assert.ok(!res.text.includes('title="10 bytes"'), 'the outside secret (10 bytes) leaves no trace');
		for (const urlPath of ['/links/out.txt', '/links/dir-out/inner.txt', '/links/env.txt']) assert.equal((await request(`${server.base}${urlPath}`)).status, 403, urlPath);
	});

	it('re-checks a cached file that is swapped for an outside link', async () => {
		workspace.write('swap.txt', 'inside');
		assert.equal((await request(`${server.base}/swap.txt`)).text, 'inside');
		assert.equal((await request(`${server.base}/swap.txt`)).text, 'inside'); // cached now
		fs.rmSync(path.join(workspace.root, 'swap.txt'));
		fs.symlinkSync(path.join(outside.root, 'secret.txt'), path.join(workspace.root, 'swap.txt'));
		const res = await request(`${server.base}/swap.txt`);
		assert.equal(res.status, 403);
		assert.ok(!res.text.includes('TOP SECRET'));
	});
});

describe('dotfiles', () => {
	it('denies dotfiles and dot-folders by default', async () => {
		for (const urlPath of ['/.env', '/.git/config', '/.git/', '/sub/.secret', '/%2eenv']) {
			const res = await request(`${server.base}${urlPath}`);
			assert.equal(res.status, 403, urlPath);
			assert.ok(!res.text.includes('API_KEY'));
			assert.match(res.text, /dotfile/);
		}
	});

	it('denies them through symlinks with ordinary names too', async () => {
		for (const urlPath of ['/envlink', '/gitlink/config', '/gitlink/', '/config-link.txt']) {
			const res = await request(`${server.base}${urlPath}`);
			assert.equal(res.status, 403, urlPath);
			assert.ok(!res.text.includes('API_KEY') && !res.text.includes('[core]'), urlPath);
			assert.match(res.text, /dotfile/, urlPath);
		}
		// A link to an allowed dot-folder is as good as the folder.
		assert.equal((await request(`${server.base}/wellknown-link/security.txt`)).text, 'Contact: me');
		const permissive = await startSession(workspace.root, { dotfilesAllow: ['.env'] });
		try {
			assert.equal((await request(`${permissive.base}/envlink`)).text, 'API_KEY=123');
			assert.equal((await request(`${permissive.base}/gitlink/config`)).status, 403);
		} finally {
			await permissive.close();
		}
	});

	it('serves the allowed ones (.well-known by default, others when listed)', async () => {
		assert.equal((await request(`${server.base}/.well-known/security.txt`)).status, 200);
		const permissive = await startSession(workspace.root, { dotfilesAllow: ['.env'] });
		try {
			assert.equal((await request(`${permissive.base}/.env`)).text, 'API_KEY=123');
			assert.equal((await request(`${permissive.base}/.git/config`)).status, 403);
		} finally {
			await permissive.close();
		}
	});
});

describe('handler sources', () => {
	it('are never served as files, however they are reached', async () => {
		const site = createTempWorkspace('handlers');
		fs.symlinkSync('api', path.join(site.root, 'apilink'));
		fs.symlinkSync('api/_greeting.ts', path.join(site.root, 'greeting-link.ts'));
		fs.symlinkSync('api/_greeting.ts', path.join(site.root, 'greeting.txt'));
		fs.symlinkSync('.', path.join(site.root, 'rootlink'));
		const handlers = await startHandlerSession(site.root, {}, { mounts: [{ path: '/src', dir: 'api' }] });
		try {
			for (const urlPath of ['/apilink/_greeting.ts', '/apilink/hello.ts', '/apilink/users/%5Bid%5D.ts', '/greeting-link.ts', '/greeting.txt', '/rootlink/api/_greeting.ts', '/src/_greeting.ts', '/src/hello.ts']) {
				const res = await request(`${handlers.base}${urlPath}`);
				assert.equal(res.status, 404, urlPath);
				assert.doesNotMatch(res.text, /greet|export/, urlPath);
				assert.match(res.text, /<dd>404<\/dd>/, urlPath);
			}
			// What else is in the folder stays reachable those ways, like through /api/.
			assert.deepEqual(JSON.parse((await request(`${handlers.base}/apilink/data.json`)).text), { static: true });
			assert.deepEqual(JSON.parse((await request(`${handlers.base}/src/data.json`)).text), { static: true });
		} finally {
			await handlers.close();
			site.remove();
		}
	});

	it('are ordinary files when handlers are off', async () => {
		const site = createTempWorkspace('handlers');
		fs.symlinkSync('api/_greeting.ts', path.join(site.root, 'greeting-link.ts'));
		const plain = await startSession(site.root);
		try {
			assert.equal((await request(`${plain.base}/greeting-link.ts`)).status, 200);
		} finally {
			await plain.close();
			site.remove();
		}
	});
});

describe('Host header (DNS rebinding)', () => {
	it('accepts loopback names and IP addresses', async () => {
		for (const host of ['localhost', `localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'my-app.localhost']) {
			assert.equal(rawStatus(await rawGet('/notes.txt', host)), 200, host);
		}
	});

	it('refuses other names with an explanation', async () => {
		const res = await request(`${server.base}/notes.txt`, { headers: { Host: `attacker.example:${server.port}` } });
		assert.equal(res.status, 403);
		assert.match(res.text, /not allowed/);
		assert.ok(!res.text.includes('plain text file'));
	});

	it('accepts configured hosts', async () => {
		const open = await startSession(workspace.root, { allowedHosts: ['.devbox.test'] });
		try {
			assert.equal((await request(`${open.base}/notes.txt`, { headers: { Host: 'app.devbox.test' } })).status, 200);
			assert.equal((await request(`${open.base}/notes.txt`, { headers: { Host: 'devbox.test.evil' } })).status, 403);
		} finally {
			await open.close();
		}
	});

	it('refuses HTTP/1.1 requests without Host with the usual error page, logged; accepts HTTP/1.0 ones', async () => {
		const before = server.logs.length;
		const reply = await rawRequest(server.port, 'GET /notes.txt HTTP/1.1\r\n\r\n');
		assert.equal(rawStatus(reply), 400);
		assertErrorPage(reply.text, 400, /must have a Host header/);
		assert.equal(reply.closed, true);
		const entry = await waitFor(() => server.logs.slice(before).find((e) => e.path === '/notes.txt'), { what: 'the 400 log entry' });
		assert.deepEqual([entry.status, entry.method, entry.protocol], [400, 'GET', 'HTTP/1.1']);
		assert.equal(rawStatus(await rawRequest(server.port, 'GET /notes.txt HTTP/1.0\r\n\r\n')), 200);
	});

	it('refuses more than one Host header (RFC 9112), whichever comes first', async () => {
		for (const hosts of ['Host: localhost\r\nHost: attacker.example', 'Host: attacker.example\r\nHost: localhost', 'Host: localhost\r\nhost: localhost']) {
			for (const version of ['1.1', '1.0']) {
				const reply = await rawRequest(server.port, `GET /notes.txt HTTP/${version}\r\n${hosts}\r\nConnection: close\r\n\r\n`);
				assert.equal(rawStatus(reply), 400, `${version} ${hosts}`);
				assertErrorPage(reply.text, 400, /more than one Host header/);
				assert.doesNotMatch(reply.text, /plain text file/);
			}
		}
	});

	it('refuses WebSocket upgrades without Host too', async () => {
		const reply = await rawRequest(server.port, 'GET /__live/ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
		assert.equal(rawStatus(reply), 400);
		assertErrorPage(reply.text, 400, /must have a Host header/);
	});
});

describe('generated pages', () => {
	it('escape what the request put in them', async () => {
		const res = await request(`${server.base}/%3Cscript%3Ealert(1)%3C%2Fscript%3E.html`);
		assert.equal(res.status, 404);
		assert.ok(!res.text.includes('<script>alert(1)'));
		const blocked = await request(`${server.base}/`, { headers: { Host: '<svg>.example' } });
		assert.ok(!blocked.text.includes('<svg>'));
	});
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('weird/<b>&"x".txt', 'weird');
	workspace.write('weird/sp ace.txt', 'space');
	workspace.write('weird/.hidden', 'hidden');
	server = await startSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('directory listings', () => {
	it('lists folders first in natural order, with sizes, dates and a parent link', async () => {
		const res = await request(`${server.base}/files/`);
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
		const names = [...res.text.matchAll(/<td><a href="([^"]+)">/g)].map((match) => match[1]);
		assert.deepEqual(names, ['../', 'Adir/', 'zdir/', 'a.txt', 'file2.txt', 'file10.txt']);
		assert.match(res.text, /<time datetime="\d{4}-/);
		assert.match(res.text, /title="2 bytes"/);
	});

	it('escapes hostile names and hides dotfiles', async () => {
		const res = await request(`${server.base}/weird/`);
		assert.ok(!res.text.includes('<b>&"x"'), 'file name markup must be escaped');
		assert.ok(res.text.includes('&lt;b&gt;&amp;&quot;x&quot;.txt'));
		assert.ok(res.text.includes(`href="${encodeURIComponent('<b>&"x".txt')}"`));
		assert.ok(res.text.includes('href="sp%20ace.txt"'));
		assert.ok(!res.text.includes('.hidden'));
	});

	it('reflects files added since the last listing', async () => {
		const first = await request(`${server.base}/files/`);
		assert.ok(!first.text.includes('added-later.txt'));
		workspace.write('files/added-later.txt', 'new');
		const second = await request(`${server.base}/files/`);
		assert.ok(second.text.includes('added-later.txt'));
		fs.rmSync(`${workspace.root}/files/added-later.txt`);
	});
});

describe('listing validators', () => {
	it('has no Last-Modified: a file growing inside does not change the folder date, so a date would answer 304 wrongly', async () => {
		workspace.write('grow/x.txt', 'small');
		// Listings are rebuilt on every request without a watcher: what is checked here is only the validators.
		const unwatched = await startSession(workspace.root, { reload: false });
		try {
			const first = await request(`${unwatched.base}/grow/`);
			assert.equal(first.status, 200);
			assert.equal(first.headers['last-modified'], undefined);
			assert.match(first.text, /title="5 bytes"/);
			fs.writeFileSync(`${workspace.root}/grow/x.txt`, 'much larger now');
			const since = new Date(Date.now() + 60_000).toUTCString();
			const again = await request(`${unwatched.base}/grow/`, { headers: { 'If-Modified-Since': since } });
			assert.equal(again.status, 200);
			assert.match(again.text, /title="15 bytes"/);
			const byTag = await request(`${unwatched.base}/grow/`, { headers: { 'If-None-Match': String(first.headers.etag) } });
			assert.equal(byTag.status, 200, 'the content tag changed with the listing');
			const unchanged = await request(`${unwatched.base}/grow/`, { headers: { 'If-None-Match': String(again.headers.etag) } });
			assert.equal(unchanged.status, 304);
			// Only the date changes: the reused page must not be.
			const later = new Date(Date.UTC(2030, 0, 2, 3, 4));
			fs.utimesSync(`${workspace.root}/grow/x.txt`, later, later);
			assert.match((await request(`${unwatched.base}/grow/`)).text, /datetime="2030-01-02T03:04:00\.000Z"/);
		} finally {
			await unwatched.close();
		}
	});
});

describe('listing cache with a watcher', () => {
	it('re-reads folders whose changes the watcher ignores (node_modules, --ignore globs)', async () => {
		workspace.write('node_modules/pkg/index.js', 'x');
		workspace.write('logs/app.log', 'x');
		workspace.write('logs/readme.txt', 'x');
		const watched = await startSession(workspace.root, { ignore: ['**/node_modules', '**/*.log'] });
		try {
			await watched.session.watching;
			assert.match((await request(`${watched.base}/node_modules/pkg/`)).text, /title="1 bytes"/);
			assert.match((await request(`${watched.base}/logs/`)).text, /title="1 bytes"[^]*title="1 bytes"/);
			// Same names, so the folders' own dates stay; the watcher never reports these files.
			fs.writeFileSync(`${workspace.root}/node_modules/pkg/index.js`, 'grown');
			fs.writeFileSync(`${workspace.root}/logs/app.log`, 'grown');
			assert.match((await request(`${watched.base}/node_modules/pkg/`)).text, /title="5 bytes"/);
			assert.match((await request(`${watched.base}/logs/`)).text, /title="5 bytes"/);
		} finally {
			await watched.close();
		}
	});
});


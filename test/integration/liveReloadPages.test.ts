import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectLiveClient, tokenFromPage, type LiveClient } from '../helpers/liveClient';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;

before(async () => {
	workspace = createTempWorkspace('site');
	workspace.write('about.html', '<!DOCTYPE html><html><head><title>About</title></head><body>about</body></html>');
	server = await startSession(workspace.root, { spa: 'index.html' });
	await server.session.watching;
});

after(async () => {
	await server.close();
	workspace.remove();
});

/** Connects as the page at `page` would: with the token written into that page, and a hello naming it. */
async function openPage(page: string): Promise<LiveClient> {
	const client = await connectLiveClient(server.base, await tokenFromPage(server.base, page), { page });
	await waitFor(() => server.session.liveReload!.hub.pages.includes(page), { what: `hello from ${page}` });
	return client;
}

describe('pages that are not one file at their own URL', () => {
	it('reload on any document change: a listing, an error page and the SPA fallback', async () => {
		const about = await openPage('/about.html');
		const home = await openPage('/');
		const listing = await openPage('/files/');
		const missing = await openPage('/missing.html');
		const app = await openPage('/users/42'); // the SPA fallback: index.html under another URL
		try {
			workspace.write('about.html', '<html><head></head><body>about v2</body></html>');
			assert.deepEqual(await about.next(), { type: 'page' });
			for (const client of [listing, missing, app]) assert.deepEqual(await client.next(), { type: 'reload' });
			// The home page (a file page showing another document) is told nothing: its next message is this stylesheet.
			workspace.write('style.css', 'p { color: blue; }\n');
			assert.deepEqual(await home.next(), { type: 'css', paths: ['/style.css'] });
			assert.deepEqual(home.messages, [{ type: 'css', paths: ['/style.css'] }]);
		} finally {
			for (const client of [about, home, listing, missing, app]) client.close();
		}
	});

	it('the SPA fallback reloads when its file changes, while a tab shows that file itself', async () => {
		const home = await openPage('/');
		const app = await openPage('/users/42');
		try {
			workspace.write('index.html', '<!DOCTYPE html><html><head></head><body>home v2</body></html>');
			assert.deepEqual(await home.next(), { type: 'page' });
			assert.deepEqual(await app.next(), { type: 'reload' });
		} finally {
			home.close();
			app.close();
		}
	});

	it('a file page keeps its own token, other pages say what they are in theirs', async () => {
		const plain = await tokenFromPage(server.base, '/about.html');
		assert.match(plain, /^[0-9a-f]{32}$/);
		for (const page of ['/files/', '/missing.html', '/users/42']) assert.equal(await tokenFromPage(server.base, page), `${plain}.any`, page);
		// Cached bodies follow the URL: the file's own URL still gets the plain token after the fallback was served.
		assert.equal(await tokenFromPage(server.base, '/'), plain);
		assert.equal(await tokenFromPage(server.base, '/users/7'), `${plain}.any`);
	});
});

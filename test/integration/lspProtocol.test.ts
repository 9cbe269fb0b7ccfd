// server-core as a language server, driven the way VS Code drives it: dist/server.js forked with IPC,
// LSP spoken with vscode-jsonrpc (no VS Code needed).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCertificate, LOCALHOST_NAMES } from '../../server-core/https/selfSignedCertificate';
import type { StartServerResult, StatusResult } from '../../server-core/protocol/index';
import { portIsClosed, rawRequest, request } from '../helpers/httpRequest';
import { connectLiveClient, tokenFromPage, type LiveClient } from '../helpers/liveClient';
import { httpsRequest } from '../helpers/httpsRequest';
import { fileUri, startServerCore, type ServerCore } from '../helpers/startServerCore';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let outside: TempWorkspace;
let server: ServerCore;
let folderUri: string;
let started: StartServerResult;
let base: string;

before(async () => {
	workspace = createTempWorkspace('site');
	outside = createTempWorkspace('site');
	folderUri = fileUri(workspace.root);
	server = startServerCore({ workspaceFolders: [workspace.root], configuration: { '*': { port: 0, debounce: 20 } } });
	await server.initialize();
});

after(async () => {
	await server.close();
	workspace.remove();
	outside.remove();
});

function start(uri = folderUri, extra: Record<string, unknown> = {}): Promise<StartServerResult> {
	return server.connection.sendRequest('liveDevServer/start', { folderUri: uri, trusted: true, ...extra });
}

async function liveClient(page = '/'): Promise<LiveClient> {
	const client = await connectLiveClient(base, await tokenFromPage(base, page), { page });
	// Connected pages are counted from the hello: wait until the server knows the page.
	await waitFor(async () => ((await server.connection.sendRequest('liveDevServer/status')) as StatusResult).sessions.some((s) => s.clients > 0), { what: 'client counted' });
	return client;
}

let version = 1;
function openDocument(filePath: string, text: string): void {
	void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri(filePath), languageId: 'html', version: version++, text } });
}
function editDocument(filePath: string, text: string): void {
	void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri(filePath), version: version++ }, contentChanges: [{ text }] });
}
function closeDocument(filePath: string): void {
	void server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri(filePath) } });
}


describe('lifecycle', () => {
	it('initialize announces incremental sync with saves and registers a watcher for every file', async () => {
		// (initialize already ran in before(); its registrations arrive right after `initialized`.)
		await waitFor(() => server.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), { what: 'watcher registration' });
		const watcher = server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
		assert.deepEqual(watcher.registerOptions, { watchers: [{ globPattern: '**/*' }] });
	});

	it('liveDevServer/start serves the folder and reports starting then running', async () => {
		started = await start();
		base = started.url.replace(/\/$/, '');
		assert.equal(started.folderUri, folderUri);
		assert.equal(started.rootUri, fileUri(workspace.root));
		assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
		await server.nextState(folderUri, 'starting');
		const running = await server.nextState(folderUri, 'running');
		assert.equal(running.status?.port, started.port);
		const page = await request(`${base}/`);
		assert.equal(page.status, 200);
		assert.match(page.text, /__live\/client\.js\?t=/);
	});

	it('start is idempotent and status lists the session', async () => {
		const again = await start();
		assert.equal(again.port, started.port);
		const status = (await server.connection.sendRequest('liveDevServer/status')) as StatusResult;
		assert.deepEqual(status.sessions.map((s) => [s.folderUri, s.port]), [[folderUri, started.port]]);
	});
});

describe('request log', () => {
	it('sends batched notifications with status and redacted headers', async () => {
		await request(`${base}/style.css`, { headers: { Cookie: 'session=secret', 'X-Test': 'yes' } });
		await request(`${base}/missing.html`);
		const css = await waitFor(() => server.requestLog.find((e) => e.path === '/style.css'), { what: 'log entry for style.css' });
		assert.equal(css.folderUri, folderUri);
		assert.equal(css.status, 200);
		assert.equal(css.method, 'GET');
		assert.equal(css.requestHeaders.cookie, '[redacted]');
		assert.equal(css.requestHeaders['x-test'], 'yes');
		assert.match(String(css.responseHeaders['content-type']), /^text\/css/);
		assert.ok(css.durationMs >= 0);
		const missing = await waitFor(() => server.requestLog.find((e) => e.path === '/missing.html'), { what: 'log entry for missing.html' });
		assert.equal(missing.status, 404);
	});

	it('includes requests the HTTP parser rejects before the pipeline', async () => {
		await rawRequest(started.port, 'GARBAGE\r\n\r\n');
		const rejected = await waitFor(() => server.requestLog.find((e) => e.status === 400 && e.source === 'error'), { what: 'log entry for the rejected request' });
		assert.equal(rejected.folderUri, folderUri);
		assert.match(rejected.error ?? '', /Bad request syntax/);
	});
});

describe('unsaved buffers', () => {
	const indexPath = () => path.join(workspace.root, 'index.html');

	it('serves the unsaved text of an open buffer and updates the page as you type', async () => {
		const client = await liveClient('/');
		try {
			const disk = fs.readFileSync(indexPath(), 'utf8');
			openDocument(indexPath(), disk);
			editDocument(indexPath(), disk.replace('</body>', '<p>UNSAVED ✓</p></body>'));
			assert.deepEqual(await client.next(), { type: 'page' });
			const page = await request(`${base}/`);
			assert.match(page.text, /UNSAVED ✓/);
			assert.equal(Number(page.headers['content-length']), page.body.length);
			assert.equal(fs.readFileSync(indexPath(), 'utf8'), disk, 'nothing was written to disk');

			// Each edit gets a new ETag: a revalidating browser never keeps a stale page.
			const etag = String(page.headers.etag);
			editDocument(indexPath(), disk.replace('</body>', '<p>SECOND</p></body>'));
			assert.deepEqual(await client.next(), { type: 'page' });
			const second = await request(`${base}/`, { headers: { 'If-None-Match': etag } });
			assert.equal(second.status, 200);
			assert.match(second.text, /SECOND/);
		} finally {
			client.close();
		}
	});

	it('coalesces a burst of keystrokes into one reload', async () => {
		const client = await liveClient('/');
		try {
			const disk = fs.readFileSync(indexPath(), 'utf8');
			// The debounce is 20 ms here; the burst and a status round trip finish well within it.
			for (let i = 0; i < 20; i++) editDocument(indexPath(), disk.replace('</body>', `<p>typing ${i}</p></body>`));
			assert.deepEqual(await client.next(), { type: 'page' });
			assert.match((await request(`${base}/`)).text, /typing 19/);
			// A later, separate edit is a second reload: so the first one covered all twenty keystrokes.
			editDocument(indexPath(), disk.replace('</body>', '<p>after</p></body>'));
			assert.deepEqual(await client.next(), { type: 'page' });
			assert.equal(client.messages.length, 2);
		} finally {
			client.close();
		}
	});

	it('swaps stylesheets in place while typing CSS', async () => {
		const client = await liveClient('/');
		const cssPath = path.join(workspace.root, 'style.css');
		try {
			openDocument(cssPath, fs.readFileSync(cssPath, 'utf8'));
			editDocument(cssPath, 'body { color: rebeccapurple; }');
			assert.deepEqual(await client.next(), { type: 'css', paths: ['/style.css'] });
			assert.equal((await request(`${base}/style.css`)).text, 'body { color: rebeccapurple; }');
			// Closing without saving puts the disk version back: swapped again.
			closeDocument(cssPath);
			assert.deepEqual(await client.next(), { type: 'css', paths: ['/style.css'] });
			assert.equal((await request(`${base}/style.css`)).text, fs.readFileSync(cssPath, 'utf8'));
		} finally {
			client.close();
		}
	});

	it('closing a dirty buffer serves the disk again and reloads', async () => {
		const client = await liveClient('/');
		try {
			closeDocument(indexPath());
			assert.deepEqual(await client.next(), { type: 'page' });
			const page = await request(`${base}/`);
			assert.doesNotMatch(page.text, /after|UNSAVED/);
			const withoutScript = page.text.replace(/<script src="(\.\.\/)*__live\/[^>]*><\/script>/, '');
			assert.equal(withoutScript.replace(/\s+/g, ''), fs.readFileSync(indexPath(), 'utf8').replace(/\s+/g, ''));
		} finally {
			client.close();
		}
	});
});

describe('watched files', () => {
	it('workspace/didChangeWatchedFiles reloads pages', async () => {
		const client = await liveClient('/');
		try {
			const file = workspace.write('app.js', 'console.log("changed on disk");');
			void server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type: 2 }] });
			assert.deepEqual(await client.next(), { type: 'reload' });
		} finally {
			client.close();
		}
	});

	it('liveDevServer/reload reloads every page', async () => {
		const client = await liveClient('/');
		try {
			void server.connection.sendNotification('liveDevServer/reload', {});
			assert.deepEqual(await client.next(), { type: 'reload' });
		} finally {
			client.close();
		}
	});

	it('a folder outside the workspace (a file opened on its own) is watched by the server itself', async () => {
		const outsideUri = fileUri(outside.root);
		const result = await start(outsideUri);
		const outsideBase = result.url.replace(/\/$/, '');
		const client = await connectLiveClient(outsideBase, await tokenFromPage(outsideBase), { page: '/' });
		try {
			await waitFor(() => result.port > 0 && client.socket.readyState === client.socket.OPEN);
			// The watcher is ready shortly after start; keep writing until a reload arrives (bounded by waitFor).
			let n = 0;
			await waitFor(() => {
				outside.write('app.js', `// ${n++}`);
				return client.messages.length > 0;
			}, { intervalMs: 100, what: 'reload from the server-side watcher' });
			assert.deepEqual(client.messages[0], { type: 'reload' });
		} finally {
			client.close();
			await server.connection.sendRequest('liveDevServer/stop', { folderUri: outsideUri });
		}
	});
});

describe('settings', () => {
	it('reloadOn "save" (after didChangeConfiguration) serves the disk and reloads on didSave', async () => {
		server.configuration['*'] = { port: 0, debounce: 20, reloadOn: 'save' };
		void server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
		const running = await server.nextState(folderUri, 'running');
		assert.equal(running.status?.port, started.port, 'restarted in place, on the same port');
		const client = await liveClient('/');
		const pagePath = path.join(workspace.root, 'sub', 'page.html');
		try {
			const disk = fs.readFileSync(pagePath, 'utf8');
			openDocument(pagePath, disk);
			editDocument(pagePath, `${disk}<p>NOT YET</p>`);
			// A status round trip: the edit has been handled before the page is fetched.
			await server.connection.sendRequest('liveDevServer/status');
			assert.doesNotMatch((await request(`${base}/sub/page.html`)).text, /NOT YET/);
			fs.writeFileSync(pagePath, `${disk}<p>SAVED</p>`);
			void server.connection.sendNotification('textDocument/didSave', { textDocument: { uri: fileUri(pagePath) } });
			assert.deepEqual(await client.next(), { type: 'reload' });
			assert.match((await request(`${base}/sub/page.html`)).text, /SAVED/);
		} finally {
			closeDocument(pagePath);
			client.close();
		}
	});

	it('a root that is not a folder fails with a clear message and an error state', async () => {
		const other = createTempWorkspace();
		try {
			const otherUri = fileUri(other.root);
			server.configuration[otherUri] = { root: 'no-such-dir' };
			await assert.rejects(start(otherUri), /no-such-dir is not a folder/);
			const state = await server.nextState(otherUri, 'error');
			assert.match(state.message ?? '', /not a folder/);
		} finally {
			other.remove();
		}
	});
});

describe('request handlers', () => {
	it('run only when enabled in a trusted workspace; compile errors become diagnostics', async () => {
		const site = createTempWorkspace();
		const siteUri = fileUri(site.root);
		site.write('api/hello.ts', "export function GET(): Response { return new Response('hello from a handler'); }\n");
		const broken = site.write('api/broken.ts', 'export function GET( { return 1 }\n');
		server.configuration[siteUri] = { port: 0, handlers: { enabled: true } };
		try {
			const untrusted = await start(siteUri, { trusted: false });
			assert.equal((await request(`${untrusted.url}api/hello`)).status, 404, 'restricted mode: no workspace code runs');

			const trusted = await start(siteUri, { trusted: true });
			assert.equal(trusted.port, untrusted.port, 'restarted in place with trust');
			const hello = await request(`${trusted.url}api/hello`);
			assert.equal(hello.status, 200);
			assert.equal(hello.text, 'hello from a handler');

			assert.equal((await request(`${trusted.url}api/broken`)).status, 500);
			const published = await waitFor(() => server.diagnostics.find((d) => d.uri === fileUri(broken) && d.diagnostics.length > 0), { what: 'diagnostics for broken.ts' });
			assert.equal(published.diagnostics[0]!.severity, 1);
			assert.equal(published.diagnostics[0]!.range.start.line, 0);
		} finally {
			await server.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
			site.remove();
		}
	});
});

describe('HTTPS, CGI, console relay and settings errors through the editor', () => {
	let extras: ServerCore;
	let storage: TempWorkspace;
	let site: TempWorkspace;
	let siteUri: string;
	const startSite = (trusted = true): Promise<StartServerResult> => extras.connection.sendRequest('liveDevServer/start', { folderUri: siteUri, trusted });

	before(async () => {
		storage = createTempWorkspace();
		site = createTempWorkspace();
		siteUri = fileUri(site.root);
		site.write('index.html', '<!DOCTYPE html><html><head></head><body>secure</body></html>');
		const script = site.write('cgi-bin/hello.sh', '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\nfrom cgi"\n');
		fs.chmodSync(script, 0o755);
		extras = startServerCore({ workspaceFolders: [site.root], storageDir: storage.root, configuration: { '*': { port: 0 } } });
		await extras.initialize();
	});

	after(async () => {
		await extras.close();
		site.remove();
		storage.remove();
	});

	it('serves HTTPS with a certificate generated once into the extension storage', async () => {
		extras.configuration['*'] = { port: 0, https: { enabled: true } };
		const secure = await startSite();
		assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
		const certFile = path.join(storage.root, 'certificates', 'localhost-cert.pem');
		assert.ok(fs.existsSync(certFile), 'the certificate is kept in the storage folder');
		const page = await httpsRequest(secure.url, fs.readFileSync(certFile, 'utf8'), { servername: 'localhost' });
		assert.equal(page.status, 200);
		assert.match(page.text, /secure/);
		await extras.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
	});

	it('starts with a user certificate that has expired, reporting a warning with the running state', async () => {
		const pair = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 1, now: new Date(Date.now() - 10 * 24 * 60 * 60 * 1000) });
		site.write('expired-cert.pem', pair.cert);
		site.write('expired-key.pem', pair.key);
		extras.configuration['*'] = { port: 0, https: { enabled: true, cert: 'expired-cert.pem', key: 'expired-key.pem' } };
		const started = await startSite();
		try {
			assert.match(started.url, /^https:/);
			const state = await waitFor(() => extras.states.find((params) => params.folderUri === siteUri && params.state === 'running' && params.status?.url === started.url), { what: 'the running state' });
			assert.equal(state.warnings?.length, 1);
			assert.match(state.warnings![0]!, /expired-cert\.pem expired on/);
		} finally {
			await extras.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
		}
	});

	it('names the setting when a setting cannot work', async () => {
		extras.configuration['*'] = { port: 0, mounts: [{ path: '/lib', dir: 'no-such-folder' }] };
		await assert.rejects(startSite(), /liveDevServer\.mounts/);
		const state = await extras.nextState(siteUri, 'error');
		assert.match(state.message ?? '', /^liveDevServer\.mounts\b.*no-such-folder/);
	});

	it('names a proxy or mount entry of the wrong shape instead of dropping it', async () => {
		extras.configuration['*'] = { port: 0, proxy: [{ path: '/api', target: 'http://127.0.0.1:9' }, { path: '/bad', url: 'http://127.0.0.1:9' }] };
		await assert.rejects(startSite(), /liveDevServer\.proxy\[1\]: Each proxy entry needs a "path" and a "target".*"url"/);
		assert.match((await extras.nextState(siteUri, 'error')).message ?? '', /^liveDevServer\.proxy\[1\]/);
		extras.configuration['*'] = { port: 0, mounts: ['/lib=lib'] };
		await assert.rejects(startSite(), /liveDevServer\.mounts\[0\]: Each mount needs a "path" and a "dir".*"\/lib=lib"/);
	});

	it('runs CGI scripts only in a trusted workspace', async () => {
		extras.configuration['*'] = { port: 0, cgi: { enabled: true } };
		const untrusted = await startSite(false);
		const asFile = await request(`${untrusted.url}cgi-bin/hello.sh`);
		assert.notEqual(asFile.text, 'from cgi', 'restricted mode: the script does not run');
		const trusted = await startSite(true);
		const ran = await request(`${trusted.url}cgi-bin/hello.sh`);
		assert.equal(ran.status, 200);
		assert.equal(ran.text, 'from cgi');
		await extras.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
	});

	it('relays the pages\' console as liveDevServer/browserConsole notifications', async () => {
		extras.configuration['*'] = { port: 0, console: true };
		const relaying = await startSite();
		const siteBase = relaying.url.replace(/\/$/, '');
		const page = await request(relaying.url);
		assert.match(page.text, /__live\/client\.js\?t=[0-9a-f]+&amp;console=1/, 'the client is told to relay');
		const client = await connectLiveClient(siteBase, await tokenFromPage(siteBase));
		try {
			client.socket.send(JSON.stringify({ type: 'console', level: 'warn', text: 'careful', url: relaying.url }));
			const relayed = await waitFor(() => extras.browserConsole.find((params) => params.message.text === 'careful'), { what: 'a relayed console message' });
			assert.equal(relayed.folderUri, siteUri);
			assert.equal(relayed.message.level, 'warn');
			assert.equal(relayed.message.url, relaying.url);
		} finally {
			client.close();
			await extras.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
		}
	});
});

describe('stop and shutdown', () => {
	it('liveDevServer/stop closes the port and reports stopped', async () => {
		await server.connection.sendRequest('liveDevServer/stop', { folderUri });
		await server.nextState(folderUri, 'stopped');
		assert.equal(await portIsClosed(started.port), true);
		const status = (await server.connection.sendRequest('liveDevServer/status')) as StatusResult;
		assert.deepEqual(status.sessions, []);
	});

	it('stopping every folder also stops a start still under way', async () => {
		const other = createTempWorkspace('site');
		const otherUri = fileUri(other.root);
		try {
			const starting = start(otherUri);
			await server.connection.sendRequest('liveDevServer/stop', {});
			const result = await starting;
			await server.nextState(otherUri, 'stopped');
			assert.equal(await portIsClosed(result.port), true);
			const status = (await server.connection.sendRequest('liveDevServer/status')) as StatusResult;
			assert.deepEqual(status.sessions, []);
		} finally {
			other.remove();
		}
	});

	it('stopping a folder that is not served still answers with a stopped state', async () => {
		const never = fileUri(path.join(workspace.root, 'sub'));
		await server.connection.sendRequest('liveDevServer/stop', { folderUri: never });
		const stopped = await server.nextState(never, 'stopped');
		assert.equal(stopped.folderUri, never);
	});

	it('shutdown closes running sessions and exit ends the process with code 0', async () => {
		const again = await start();
		assert.equal(await portIsClosed(again.port), false);
		const code = await server.close();
		assert.equal(code, 0);
		assert.equal(await portIsClosed(again.port), true);
	});
});

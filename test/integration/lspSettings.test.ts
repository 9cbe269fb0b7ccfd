// Settings through the language server (dist/server.js forked, LSP over vscode-jsonrpc, no VS Code): invalid
// values named and replaced, listen errors naming their setting, a busy port, and a root that must stay inside
// the workspace folder.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StartServerResult, StatusResult } from '../../server-core/protocol/index';
import { portIsClosed, request } from '../helpers/httpRequest';
import { fileUri, startServerCore, type ServerCore } from '../helpers/startServerCore';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let server: ServerCore;
let workspace: TempWorkspace;
let outside: TempWorkspace;

before(async () => {
	workspace = createTempWorkspace('site');
	outside = createTempWorkspace('site');
	server = startServerCore({ workspaceFolders: [workspace.root], configuration: { '*': { port: 0 } } });
	await server.initialize();
});

after(async () => {
	await server.close();
	workspace.remove();
	outside.remove();
});

function start(uri: string, extra: Record<string, unknown> = {}): Promise<StartServerResult> {
	return server.connection.sendRequest('liveDevServer/start', { folderUri: uri, trusted: true, ...extra });
}

/**
 * A folder of its own for one describe block (`root` and its file URI filled in by the time its tests run), with
 * its configuration dropped and its server stopped afterwards.
 */
function useSiteFolder(): { root: string; uri: string } {
	const site = { root: '', uri: '' };
	let folder: TempWorkspace;
	before(() => {
		folder = createTempWorkspace('site');
		site.root = folder.root;
		site.uri = fileUri(folder.root);
	});
	after(async () => {
		delete server.configuration[site.uri];
		await server.connection.sendRequest('liveDevServer/stop', { folderUri: site.uri });
		folder.remove();
	});
	return site;
}

describe('settings that cannot be used as they are', () => {
	const site = useSiteFolder();

	it('invalid values are replaced, and sent with the state once, naming the setting and the value used', async () => {
		server.configuration[site.uri] = { port: 0, reloadOn: 'sometimes', debounce: -5 };
		await start(site.uri);
		const running = await server.nextState(site.uri, 'running');
		assert.deepEqual(running.warnings, [
			'liveDevServer.reloadOn: "sometimes" is not valid ("change" or "save" is expected); using "change".',
			'liveDevServer.debounce: -5 is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.',
		]);
		// The same settings again: nothing new to say.
		server.configuration[site.uri] = { port: 0, reloadOn: 'sometimes', debounce: -5 };
		await start(site.uri, { trusted: false });
		const again = await server.nextState(site.uri, 'running');
		assert.equal(again.warnings, undefined);
		// Changed: said again, with the new problem only.
		server.configuration[site.uri] = { port: 0, debounce: 'fast' };
		await start(site.uri);
		const changed = await server.nextState(site.uri, 'running');
		assert.deepEqual(changed.warnings, ['liveDevServer.debounce: "fast" is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.']);
	});

	it('a host that cannot be listened on names liveDevServer.host', async () => {
		// TEST-NET-1: an address that is on no interface of this machine (and nothing is sent to it).
		server.configuration[site.uri] = { port: 0, host: '192.0.2.1' };
		await assert.rejects(start(site.uri), /liveDevServer\.host: cannot listen on "192\.0\.2\.1" \(listen EADDRNOTAVAIL/);
		const state = await server.nextState(site.uri, 'error');
		assert.match(state.message ?? '', /^liveDevServer\.host: /);
	});

	it('a busy port moves to the next free one and says so', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const busy = (blocker.address() as net.AddressInfo).port;
		try {
			server.configuration[site.uri] = { port: busy };
			const result = await start(site.uri);
			assert.equal(result.busyPort, busy);
			assert.notEqual(result.port, busy);
			const running = await server.nextState(site.uri, 'running');
			assert.equal(running.message, `Port ${busy} is in use, using port ${result.port} instead.`);
			assert.equal((await request(result.url)).status, 200);
		} finally {
			await server.connection.sendRequest('liveDevServer/stop', { folderUri: site.uri });
			await new Promise((resolve) => blocker.close(resolve));
		}
	});
});

describe('the root setting stays inside the workspace folder', () => {
	const site = useSiteFolder();

	for (const root of ['..', '/', '../..', 'sub/../..']) {
		it(`refuses ${JSON.stringify(root)}, naming the setting`, async () => {
			server.configuration[site.uri] = { port: 0, root };
			await assert.rejects(start(site.uri), (error: Error) => {
				assert.match(error.message, /^liveDevServer\.root: ".*" is outside the workspace folder/);
				return true;
			});
			const state = await server.nextState(site.uri, 'error');
			assert.match(state.message ?? '', /^liveDevServer\.root: .*outside the workspace folder/);
		});
	}

	it('refuses a folder inside that is a symbolic link to one outside', async () => {
		fs.symlinkSync(outside.root, path.join(site.root, 'elsewhere'));
		server.configuration[site.uri] = { port: 0, root: 'elsewhere' };
		await assert.rejects(start(site.uri), /liveDevServer\.root: "elsewhere" is outside the workspace folder/);
	});

	it('accepts an absolute path inside the folder', async () => {
		server.configuration[site.uri] = { port: 0, root: path.join(site.root, 'sub') };
		const result = await start(site.uri);
		assert.equal(result.rootUri, fileUri(path.join(site.root, 'sub')));
		assert.match((await request(result.url)).text, /sub index/);
	});

	it('a running server whose root becomes invalid stops, rather than serving the old one', async () => {
		const running = await start(site.uri);
		server.configuration[site.uri] = { port: 0, root: '/' };
		await assert.rejects(start(site.uri), /outside the workspace folder/);
		assert.equal(await portIsClosed(running.port), true);
		const status = (await server.connection.sendRequest('liveDevServer/status')) as StatusResult;
		assert.equal(status.sessions.some((session) => session.folderUri === site.uri), false);
	});

	it('a missing root folder names the setting; an empty root does not blame it', async () => {
		server.configuration[site.uri] = { port: 0, root: 'no-such-dir' };
		await assert.rejects(start(site.uri), /^Error: liveDevServer\.root: .*no-such-dir is not a folder/);
		const gone = createTempWorkspace();
		const goneUri = fileUri(path.join(gone.root, 'removed'));
		try {
			await assert.rejects(start(goneUri), (error: Error) => {
				assert.match(error.message, /removed is not a folder\.$/);
				assert.doesNotMatch(error.message, /liveDevServer\.root/);
				return true;
			});
		} finally {
			gone.remove();
		}
	});
});


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


describe('settings that cannot be used as they are', () => {
	let site: TempWorkspace;
	let siteUri: string;

	before(() => {
		site = createTempWorkspace('site');
		siteUri = fileUri(site.root);
	});

	after(async () => {
		delete server.configuration[siteUri];
		await server.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
		site.remove();
	});

	it('invalid values are replaced, and sent with the state once, naming the setting and the value used', async () => {
		server.configuration[siteUri] = { port: 0, reloadOn: 'sometimes', debounce: -5 };
		await start(siteUri);
		const running = await server.nextState(siteUri, 'running');
		assert.deepEqual(running.warnings, [
			'liveDevServer.reloadOn: "sometimes" is not valid ("change" or "save" is expected); using "change".',
			'liveDevServer.debounce: -5 is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.',
		]);
		// The same settings again: nothing new to say.
		server.configuration[siteUri] = { port: 0, reloadOn: 'sometimes', debounce: -5 };
		await start(siteUri, { trusted: false });
		const again = await server.nextState(siteUri, 'running');
		assert.equal(again.warnings, undefined);
		// Changed: said again, with the new problem only.
		server.configuration[siteUri] = { port: 0, debounce: 'fast' };
		await start(siteUri);
		const changed = await server.nextState(siteUri, 'running');
		assert.deepEqual(changed.warnings, ['liveDevServer.debounce: "fast" is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.']);
	});

	it('a host that cannot be listened on names liveDevServer.host', async () => {
		// TEST-NET-1: an address that is on no interface of this machine (and nothing is sent to it).
		server.configuration[siteUri] = { port: 0, host: '192.0.2.1' };
		await assert.rejects(start(siteUri), /liveDevServer\.host: cannot listen on "192\.0\.2\.1" \(listen EADDRNOTAVAIL/);
		const state = await server.nextState(siteUri, 'error');
		assert.match(state.message ?? '', /^liveDevServer\.host: /);
	});

	it('a busy port moves to the next free one and says so', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const busy = (blocker.address() as net.AddressInfo).port;
		try {
			server.configuration[siteUri] = { port: busy };
			const result = await start(siteUri);
			assert.equal(result.busyPort, busy);
			assert.notEqual(result.port, busy);
			const running = await server.nextState(siteUri, 'running');
			assert.equal(running.message, `Port ${busy} is in use, using port ${result.port} instead.`);
			assert.equal((await request(result.url)).status, 200);
		} finally {
			await server.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
			await new Promise((resolve) => blocker.close(resolve));
		}
	});
});

describe('the root setting stays inside the workspace folder', () => {
	let site: TempWorkspace;
	let siteUri: string;

	before(() => {
		site = createTempWorkspace('site');
		siteUri = fileUri(site.root);
	});

	after(async () => {
		delete server.configuration[siteUri];
		await server.connection.sendRequest('liveDevServer/stop', { folderUri: siteUri });
		site.remove();
	});

	for (const root of ['..', '/', '../..', 'sub/../..']) {
		it(`refuses ${JSON.stringify(root)}, naming the setting`, async () => {
			server.configuration[siteUri] = { port: 0, root };
			await assert.rejects(start(siteUri), (error: Error) => {
				assert.match(error.message, /^liveDevServer\.root: ".*" is outside the workspace folder/);
				return true;
			});
			const state = await server.nextState(siteUri, 'error');
			assert.match(state.message ?? '', /^liveDevServer\.root: .*outside the workspace folder/);
		});
	}

	it('refuses a folder inside that is a symbolic link to one outside', async () => {
		fs.symlinkSync(outside.root, path.join(site.root, 'elsewhere'));
		server.configuration[siteUri] = { port: 0, root: 'elsewhere' };
		await assert.rejects(start(siteUri), /liveDevServer\.root: "elsewhere" is outside the workspace folder/);
	});

	it('accepts an absolute path inside the folder', async () => {
		server.configuration[siteUri] = { port: 0, root: path.join(site.root, 'sub') };
		const result = await start(siteUri);
		assert.equal(result.rootUri, fileUri(path.join(site.root, 'sub')));
		assert.match((await request(result.url)).text, /sub index/);
	});

	it('a running server whose root becomes invalid stops, rather than serving the old one', async () => {
		const running = await start(siteUri);
		server.configuration[siteUri] = { port: 0, root: '/' };
		await assert.rejects(start(siteUri), /outside the workspace folder/);
		assert.equal(await portIsClosed(running.port), true);
		const status = (await server.connection.sendRequest('liveDevServer/status')) as StatusResult;
		assert.equal(status.sessions.some((session) => session.folderUri === siteUri), false);
	});

	it('a missing root folder names the setting; an empty root does not blame it', async () => {
		server.configuration[siteUri] = { port: 0, root: 'no-such-dir' };
		await assert.rejects(start(siteUri), /^Error: liveDevServer\.root: .*no-such-dir is not a folder/);
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


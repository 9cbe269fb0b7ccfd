// The server process failing while it starts (exits, or never answers initialize), and while idle: the real
// extension bundle and LanguageClient (test/helpers/extensionHost.ts) with a dist/server.js of our making.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { activateExtension, type ExtensionHost } from '../helpers/extensionHost';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

const SETTINGS = { 'liveDevServer.port': 0, 'liveDevServer.openBrowser': 'none' };
/** A dist/server.js that is the real one. */
const REAL_SERVER = `require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'server.js'))});\n`;

let workspace: TempWorkspace;
/** Stands in for the extension's install folder: only dist/server.js is read from it. */
let extensionRoot: TempWorkspace;
let host: ExtensionHost | undefined;

before(() => {
	workspace = createTempWorkspace('site');
	extensionRoot = createTempWorkspace();
});

afterEach(async () => {
	if (host !== undefined) assert.deepEqual([...host.world.missing], [], 'vscode API members the fake lacks');
	await host?.close();
	host = undefined;
	delete process.env.LIVE_DEV_SERVER_START_TIMEOUT_MS;
});

after(() => {
	workspace.remove();
	extensionRoot.remove();
});

function activate(serverScript: string): ExtensionHost {
	extensionRoot.write('dist/server.js', serverScript);
	host = activateExtension({ workspaceRoot: workspace.root, extensionRoot: extensionRoot.root, settings: SETTINGS });
	return host;
}

const notifications = (h: ExtensionHost) => h.world.messages.filter((m) => m.kind === 'error' || m.kind === 'warning');
const exited = (h: ExtensionHost, index: number) => waitFor(() => {
	const child = h.forked[index];
	return child !== undefined && (child.exitCode !== null || child.signalCode !== null);
}, { what: `server process ${index} to end` });

describe('a server process that dies while starting', () => {
	it('fails the start with one notification, and the next Start forks a new process', async () => {
		const h = activate('process.exit(3);\n');
		await h.run('liveDevServer.start');
		assert.equal(h.forked.length, 1);
		await exited(h, 0);
		await waitFor(() => notifications(h).length > 0, { what: 'a notification' });
		assert.equal(notifications(h).length, 1, JSON.stringify(h.world.messages));
		assert.match(notifications(h)[0]!.message, /Live Dev Server.*(exited|stopped)/);
		assert.ok(notifications(h)[0]!.items.includes('Restart'), 'the notification offers Restart');
		assert.equal(h.statusText(), '$(broadcast) Go Live');
		assert.ok(h.statusItem().backgroundColor !== undefined, 'the status bar shows the failure');
		assert.equal(h.log().some((line) => /Language server ready/.test(line.message)), false, 'never claims to be ready');

		await h.run('liveDevServer.start');
		assert.equal(h.forked.length, 2, 'a second Start forks a new process');
		await exited(h, 1);
		await waitFor(() => notifications(h).length === 2, { what: 'the second failure notified' });
		assert.doesNotMatch(JSON.stringify(h.world.messages), /Client is not running|Pending response rejected|couldn't create connection/);

		// Fixed (a new install, say): Start serves without a window reload.
		extensionRoot.write('dist/server.js', REAL_SERVER);
		await h.run('liveDevServer.start');
		const status = await h.running();
		assert.equal((await request(status.url)).status, 200);
		assert.equal(h.statusText(), `$(circle-slash) Port ${status.port}`);
		assert.equal(h.statusItem().backgroundColor, undefined);
	});

	it('Restart in the failure notification starts again', async () => {
		const h = activate('process.exit(3);\n');
		await h.run('liveDevServer.start');
		await waitFor(() => notifications(h).length === 1, { what: 'the failure notification' });
		extensionRoot.write('dist/server.js', REAL_SERVER);
		// The fake answers "Restart" from now on: the next failure notification would restart; none comes.
		h.world.answers.add('Restart');
		await h.run('liveDevServer.restart');
		const status = await h.running();
		assert.equal((await request(status.url)).status, 200);
		assert.equal(h.forked.length, 2);
	});
});

describe('a server process that never answers initialize', () => {
	it('times out into an error state with Restart, and the process is ended', { timeout: 20_000 }, async () => {
		process.env.LIVE_DEV_SERVER_START_TIMEOUT_MS = '500';
		const h = activate('setInterval(() => {}, 1000);\n');
		await h.run('liveDevServer.start');
		assert.equal(h.statusText(), '$(broadcast) Go Live');
		assert.match(h.tooltip(), /did not start within/);
		assert.equal(notifications(h).length, 1, JSON.stringify(h.world.messages));
		assert.match(notifications(h)[0]!.message, /did not start within/);
		assert.ok(notifications(h)[0]!.items.includes('Restart'));
		await exited(h, 0);
	});
});

describe('closing the window during a start', () => {
	it('ends a server process that hangs in initialize instead of waiting for the start timeout', { timeout: 10_000 }, async () => {
		process.env.LIVE_DEV_SERVER_START_TIMEOUT_MS = '60000';
		const h = activate('setInterval(() => {}, 1000);\n');
		const starting = h.run('liveDevServer.start');
		await waitFor(() => h.forked.length === 1, { what: 'the server process' });
		await h.extension.deactivate();
		await exited(h, 0);
		await starting;
		assert.deepEqual(notifications(h), [], 'a start ended by closing the window is no failure to report');
	});
});

describe('an idle server process that crashes', () => {
	it('is only logged: nothing was served, so no notification and no red status bar', async () => {
		const h = activate(REAL_SERVER);
		await h.run('liveDevServer.start');
		await h.running();
		await h.run('liveDevServer.stop');
		await waitFor(() => h.api.states.running.length === 0, { what: 'stopped' });
		h.forked[0]!.kill('SIGKILL');
		await waitFor(() => h.log().some((line) => /stopped unexpectedly/.test(line.message)), { what: 'the crash logged' });
		assert.deepEqual(notifications(h), []);
		assert.equal(h.statusText(), '$(broadcast) Go Live');
		assert.equal(h.statusItem().backgroundColor, undefined);
		// And the next Start works.
		await h.run('liveDevServer.start');
		assert.equal((await request((await h.running()).url)).status, 200);
		assert.equal(h.forked.length, 2);
	});
});

// Settings, trust, remote forwarding, workspace folders and log levels as the extension sees them: the real
// extension bundle, LanguageClient and server process (test/helpers/extensionHost.ts).
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { activateExtension, type ExtensionHost } from '../helpers/extensionHost';
import { LogLevel, Uri } from '../helpers/fakeVscode';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

const BASE_SETTINGS = { 'liveDevServer.port': 0, 'liveDevServer.openBrowser': 'none' };

let workspace: TempWorkspace;
let host: ExtensionHost | undefined;

before(() => {
	workspace = createTempWorkspace('site');
	workspace.write('api/hello.js', "export function GET() { return new Response('hello from a handler'); }\n");
});

afterEach(async () => {
	if (host !== undefined) assert.deepEqual([...host.world.missing], [], 'vscode API members the fake lacks');
	await host?.close();
	host = undefined;
});

after(() => workspace.remove());

function activate(settings: Record<string, unknown> = {}, prepare?: Parameters<typeof activateExtension>[0]['prepare']): ExtensionHost {
	host = activateExtension({ workspaceRoot: workspace.root, settings: { ...BASE_SETTINGS, ...settings }, ...(prepare ? { prepare } : {}) });
	return host;
}

/** What a settings.json edit does: VS Code fires onDidChangeConfiguration, the client tells the server. */
function changeSettings(h: ExtensionHost, settings: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(settings)) {
		if (value === undefined) h.world.settings.delete(key);
		else h.world.settings.set(key, value);
	}
	h.world.onDidChangeConfiguration.fire({ affectsConfiguration: (section: string) => section === '' || section.startsWith('liveDevServer') });
}

const warnings = (h: ExtensionHost) => h.world.messages.filter((m) => m.kind === 'warning');

describe('invalid settings', () => {
	it('are named in the log and in one notification, with the values used', async () => {
		const h = activate({ 'liveDevServer.reloadOn': 'sometimes', 'liveDevServer.log.headers': 'yes' });
		await h.run('liveDevServer.start');
		await h.running();
		const notification = await waitFor(() => warnings(h)[0], { what: 'the settings notification' });
		assert.equal(warnings(h).length, 1);
		assert.equal(notification.message, 'Live Dev Server: 2 settings have invalid values and were replaced: liveDevServer.reloadOn, liveDevServer.log.headers.');
		assert.deepEqual(notification.items, ['Open Settings', 'Show Log']);
		const lines = h.log().filter((line) => line.level === 'warn' && line.message.startsWith('liveDevServer.'));
		assert.deepEqual(lines.map((line) => line.message), [
			'liveDevServer.reloadOn: "sometimes" is not valid ("change" or "save" is expected); using "change".',
			'liveDevServer.log.headers: "yes" is not valid (true or false is expected); using false.',
		]);

		// A new mistake in a running server's settings: one more notification, naming it.
		changeSettings(h, { 'liveDevServer.reloadOn': undefined, 'liveDevServer.log.headers': undefined, 'liveDevServer.debounce': -5 });
		const second = await waitFor(() => warnings(h)[1], { what: 'the second notification' });
		assert.equal(second.message, 'Live Dev Server: liveDevServer.debounce: -5 is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.');
		assert.equal(warnings(h).length, 2);
	});

	it('a busy port is announced in the log and the status bar shows the port used', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const busy = (blocker.address() as net.AddressInfo).port;
		try {
			const h = activate({ 'liveDevServer.port': busy });
			await h.run('liveDevServer.start');
			const status = await h.running();
			assert.notEqual(status.port, busy);
			assert.equal(h.statusText(), `$(circle-slash) Port ${status.port}`);
			await waitFor(() => h.log().some((line) => line.message === `Port ${busy} is in use, using port ${status.port} instead.`), { what: 'the busy-port line' });
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	});
});

describe('request headers in the log', () => {
	for (const [name, level] of [['Debug', LogLevel.Debug], ['Trace', LogLevel.Trace]] as const) {
		it(`appear at the ${name} level without liveDevServer.log.headers`, async () => {
			const h = activate();
			await h.run('liveDevServer.start');
			const { url } = await h.running();
			await request(`${url}style.css`, { headers: { Cookie: 'secret=1' } });
			await waitFor(() => h.log().some((line) => line.message.startsWith('200 GET /style.css')), { what: 'the request line' });
			assert.equal(h.log().some((line) => /> cookie:/.test(line.message)), false, 'no headers at the Info level');

			h.world.setLogLevel(level);
			await request(`${url}app.js`, { headers: { Cookie: 'secret=1' } });
			const headers = await waitFor(() => h.log().find((line) => line.message.startsWith('headers of GET /app.js')), { what: 'the headers' });
			assert.equal(headers.level, 'debug');
			assert.match(headers.message, /\n {4}> cookie: \[redacted\]/);
			assert.match(headers.message, /\n {4}< content-type: text\/javascript/);
		});
	}
});

describe('workspace trust', () => {
	it('restricted mode serves files but runs no handler; granting trust restarts with handlers on', async () => {
		const h = activate({ 'liveDevServer.handlers.enabled': true }, (world) => (world.isTrusted = false));
		await h.run('liveDevServer.start');
		const { url, port } = await h.running();
		assert.equal((await request(url)).status, 200);
		assert.equal((await request(`${url}api/hello`)).status, 404, 'no workspace code runs in restricted mode');

		h.world.grantTrust();
		await waitFor(async () => (await request(`${url}api/hello`)).text === 'hello from a handler', { what: 'the handler to run', timeoutMs: 10_000 });
		assert.equal((await h.running()).port, port, 'restarted in place');
	});
});

describe('remote setups', () => {
	it('keep the forwarded URL in the tooltip across a restart in place, and accept its host name', async () => {
		const h = activate({}, (world) => {
			world.asExternalUri = async (uri) => Uri.parse(`https://${new URL(uri.toString()).port}-fwd.example.test/`);
		});
		await h.run('liveDevServer.start');
		const { url, port } = await h.running();
		const forwarded = `https://${port}-fwd.example.test/`;
		await waitFor(() => h.tooltip().includes(forwarded), { what: 'the forwarded URL in the tooltip' });
		assert.equal((await request(url, { headers: { Host: `${port}-fwd.example.test` } })).status, 200, 'the forwarded host passes the Host check');

		changeSettings(h, { 'liveDevServer.root': 'sub' });
		await waitFor(async () => (await request(url)).text.includes('sub index'), { what: 'the restart with the new root' });
		await waitFor(() => h.api.states.running[0]?.status?.rootUri.endsWith('/sub'), { what: 'running again' });
		assert.equal((await h.running()).port, port);
		assert.ok(h.tooltip().includes(forwarded), h.tooltip());
		assert.doesNotMatch(h.tooltip(), /127\.0\.0\.1/);
		assert.equal((await request(url, { headers: { Host: `${port}-fwd.example.test` } })).status, 200, 'still accepted after the restart');
	});
});

describe('workspace folders', () => {
	it('removing the served folder from the workspace stops its server', async () => {
		const h = activate();
		await h.run('liveDevServer.start');
		const { url } = await h.running();
		h.world.setWorkspaceFolders([]);
		await waitFor(() => h.api.states.all.length === 0, { what: 'the folder to stop' });
		assert.equal(h.statusText(), '$(broadcast) Go Live');
		await assert.rejects(request(url, { timeoutMs: 2000 }));
	});
});

// Start and Stop racing each other, as impatient clicks make them: the real extension bundle, LanguageClient
// and server process (test/helpers/extensionHost.ts). The status bar must end up telling the truth.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { activateExtension, type ExtensionHost } from '../helpers/extensionHost';
import { Uri } from '../helpers/fakeVscode';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let host: ExtensionHost | undefined;

before(() => {
	workspace = createTempWorkspace('site');
});

afterEach(async () => {
	if (host !== undefined) assert.deepEqual([...host.world.missing], [], 'vscode API members the fake lacks');
	await host?.close();
	host = undefined;
});

after(() => workspace.remove());

function activate(openBrowser = 'none'): ExtensionHost {
	host = activateExtension({ workspaceRoot: workspace.root, settings: { 'liveDevServer.port': 0, 'liveDevServer.openBrowser': openBrowser } });
	return host;
}

/** A promise the test resolves when it wants to. */
function gate(): { promise: Promise<void>; open(): void } {
	let open = () => undefined as void;
	const promise = new Promise<void>((resolve) => (open = resolve));
	return { promise, open };
}

const errors = (h: ExtensionHost) => h.world.messages.filter((m) => m.kind === 'error' || m.kind === 'warning');

async function assertNothingServed(h: ExtensionHost): Promise<void> {
	assert.equal(h.statusText(), '$(broadcast) Go Live');
	assert.equal(h.statusItem().backgroundColor, undefined);
	assert.deepEqual(h.api.states.all, []);
	assert.deepEqual((await h.api.status()).sessions, []);
}

describe('Stop during a start', () => {
	it('wins over a start still waiting for its forwarded URL (remote): nothing is served afterwards', async () => {
		const h = activate();
		const forwarding = gate();
		// Codespaces-like: the forwarded URL takes a while and has another host name (so a second start adds it).
		h.world.asExternalUri = async (uri) => {
			await forwarding.promise;
			return Uri.parse(`https://${new URL(uri.toString()).port}-forwarded.example.test/`);
		};
		const starting = h.run('liveDevServer.start');
		const status = await h.running(); // the server said 'running'; the extension still waits for the URL
		await h.run('liveDevServer.stop');
		assert.equal(h.statusText(), '$(broadcast) Go Live');
		forwarding.open();
		await starting;
		await assertNothingServed(h);
		await assert.rejects(request(status.url, { timeoutMs: 2000 }), 'the port is closed');
		assert.deepEqual(errors(h), []);
	});

	it('toggle while starting stops the start, and no browser page opens', async () => {
		const h = activate('default');
		const starting = h.run('liveDevServer.toggle');
		// The first start forks the server process: it is 'starting' for a good while.
		await waitFor(() => h.api.states.starting, { what: 'starting' });
		assert.match(h.statusText(), /Starting/);
		assert.deepEqual(h.statusItem().accessibilityInformation, { label: 'Live Dev Server is starting. Click to stop.' });
		await h.run('liveDevServer.toggle');
		await starting;
		await waitFor(async () => (await h.api.status()).sessions.length === 0 && h.api.states.all.length === 0, { what: 'nothing served' });
		await assertNothingServed(h);
		assert.deepEqual(h.world.opened, []);
		assert.deepEqual(errors(h), []);
	});

	it('Stop while starting stops it (Stop considers starting folders)', async () => {
		const h = activate();
		const starting = h.run('liveDevServer.start');
		await waitFor(() => h.api.states.starting, { what: 'starting' });
		await h.run('liveDevServer.stop');
		await starting;
		await waitFor(async () => (await h.api.status()).sessions.length === 0 && h.api.states.all.length === 0, { what: 'nothing served' });
		await assertNothingServed(h);
	});
});

describe('two starts at once', () => {
	it('serve once and open one browser page', async () => {
		const h = activate('default');
		const first = h.run('liveDevServer.start');
		const second = h.run('liveDevServer.start');
		await Promise.all([first, second]);
		const status = await h.running();
		assert.equal(h.world.opened.length, 1, JSON.stringify(h.world.opened));
		assert.equal(h.world.opened[0], status.url);
		assert.equal((await h.api.status()).sessions.length, 1);
		assert.equal(h.forked.length, 1);
		assert.deepEqual(errors(h), []);
	});
});

describe('Start with a page in the active editor', () => {
	for (const name of ['page.htm', 'page.xhtml']) {
		it(`opens that page (${name}, as the context menus allow)`, async () => {
			const page = workspace.write(`sub/${name}`, '<html><body>page</body></html>');
			const h = activate('default');
			h.world.activeTextEditor = { document: { uri: Uri.file(page) } };
			await h.run('liveDevServer.start');
			const status = await h.running();
			assert.deepEqual(h.world.opened, [`${status.url}sub/${name}`]);
		});
	}
});

// dist/extension.js in plain Node against a fake `vscode` module (test/helpers/fakeVscode.ts): the real
// bundle, the real LanguageClient and the real server process. What VS Code itself does (UI, real document
// events) is covered by npm run test:vscode where VS Code is available.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCertificate, LOCALHOST_NAMES } from '../../server-core/https/selfSignedCertificate';
import { activateExtension, type ExtensionHost } from '../helpers/extensionHost';
import { Position, Range, Uri, type FakeWorld } from '../helpers/fakeVscode';
import { request } from '../helpers/httpRequest';
import { connectLiveClient, tokenFromPage } from '../helpers/liveClient';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let host: ExtensionHost;
let world: FakeWorld;
let api: ExtensionHost['api'];
let forked: ExtensionHost['forked'];

const statusText = () => host.statusText();
const run = (command: string, ...args: unknown[]) => host.run(command, ...args);
const running = () => host.running();

before(() => {
	workspace = createTempWorkspace('site');
	host = activateExtension({
		workspaceRoot: workspace.root,
		settings: { 'liveDevServer.port': 0, 'liveDevServer.openBrowser': 'none', 'liveDevServer.debounce': 10 },
	});
	({ world, api, forked } = host);
});

after(async () => {
	await host.close();
	workspace.remove();
	assert.deepEqual([...world.missing], [], 'every vscode API the extension and the LanguageClient read exists in the fake');
});

describe('the extension bundle', () => {
	it('activates without loading the language client or starting the server process', () => {
		// How fast is measured by `npm run bench -- extension`; a test only checks what activation does.
		console.log(`# load ${host.loadMs.toFixed(1)} ms, activate ${api.activationMs.toFixed(1)} ms`);
		assert.equal(world.read.has('CompletionItem'), false, 'vscode-languageclient (which extends vscode.CompletionItem as it loads) is loaded on first use');
		assert.equal(forked.length, 0, 'the server starts on first use');
		assert.equal(statusText(), '$(broadcast) Go Live');
		for (const command of ['start', 'stop', 'restart', 'toggle', 'openInBrowser', 'openCurrentFile', 'showRequestLog', 'reloadBrowsers', 'openWith']) {
			assert.ok(world.commands.has(`liveDevServer.${command}`), command);
		}
	});

	it('Start serves the workspace folder; the status bar shows the port and URL', async () => {
		const started = performance.now();
		await run('liveDevServer.start');
		const status = await running();
		console.log(`# start command to running: ${(performance.now() - started).toFixed(0)} ms (server process included)`);
		assert.equal(forked.length, 1);
		assert.equal(statusText(), `$(circle-slash) Port ${status.port}`);
		const tooltip = String((world.statusBarItems[0]!.tooltip as { value: string }).value);
		assert.ok(tooltip.includes(status.url), tooltip);
		assert.match(tooltip, /0 browser pages connected/);
		assert.equal((await request(status.url)).status, 200);
	});

	it('shows the pages\' console in its own output channel when liveDevServer.console is on', async () => {
		world.settings.set('liveDevServer.console', true);
		world.onDidChangeConfiguration.fire({ affectsConfiguration: (section: string) => section.startsWith('liveDevServer') || section === '' });
		try {
			// A changed setting restarts the server in place; wait until it runs with the relay on.
			const url = await waitFor(async () => {
				const status = api.states.running[0]?.status;
				if (status === undefined) return undefined;
				return /console=1/.test((await request(status.url)).text) ? status.url : undefined;
			}, { what: 'a server relaying the console', timeoutMs: 10_000 });
			const base = url.replace(/\/$/, '');
			const client = await connectLiveClient(base, await tokenFromPage(base));
			try {
				client.socket.send(JSON.stringify({ type: 'console', level: 'error', text: '\x1b[31mUncaught TypeError: x is undefined\x07', url }));
				const line = await waitFor(() => world.logLines.find((entry) => entry.channel === 'Live Dev Server: Browser Console'), { what: 'a browser console line' });
				assert.equal(line.level, 'error');
				assert.equal(line.message, `[31mUncaught TypeError: x is undefined  (${url})`, 'control characters removed');
			} finally {
				client.close();
			}
		} finally {
			world.settings.delete('liveDevServer.console');
			world.onDidChangeConfiguration.fire({ affectsConfiguration: () => true });
		}
		// Back to the plain server before the next test (the restart is in place, on the same port).
		await waitFor(async () => {
			const status = api.states.running[0]?.status;
			return status !== undefined && !/console=1/.test((await request(status.url)).text);
		}, { what: 'the server without the relay', timeoutMs: 10_000 });
	});

	it('shows a warning for an HTTPS certificate browsers will refuse (expired), and still serves', async () => {
		const pair = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 1, now: new Date(Date.now() - 10 * 24 * 60 * 60 * 1000) });
		workspace.write('expired-cert.pem', pair.cert);
		workspace.write('expired-key.pem', pair.key);
		const https = { 'liveDevServer.https.enabled': true, 'liveDevServer.https.cert': 'expired-cert.pem', 'liveDevServer.https.key': 'expired-key.pem' };
		for (const [name, value] of Object.entries(https)) world.settings.set(name, value);
		world.onDidChangeConfiguration.fire({ affectsConfiguration: (section: string) => section.startsWith('liveDevServer') || section === '' });
		try {
			const shown = await waitFor(() => world.messages.find((message) => message.kind === 'warning' && /expired-cert\.pem expired on/.test(message.message)), { what: 'the certificate warning', timeoutMs: 10_000 });
			assert.match(shown.message, /^Live Dev Server: The HTTPS certificate .* browsers will refuse it/);
			assert.ok(world.logLines.some((line) => line.level === 'warn' && /expired-cert\.pem expired on/.test(line.message)));
			assert.match((await running()).url, /^https:/);
		} finally {
			for (const name of Object.keys(https)) world.settings.delete(name);
			world.onDidChangeConfiguration.fire({ affectsConfiguration: () => true });
		}
		// Back to plain HTTP (in place, on the same port) before the next test, and answering.
		const plain = await waitFor(() => api.states.running[0]?.status?.url.startsWith('http:') && api.states.running[0]!.status!.url, { what: 'plain HTTP again', timeoutMs: 10_000 });
		await waitFor(async () => (await request(plain).catch(() => undefined))?.status === 200, { what: 'the plain server to answer', timeoutMs: 10_000 });
	});

	it('writes one request line per request, status first, warnings for 4xx', async () => {
		const { url } = await running();
		await request(`${url}style.css`);
		await request(`${url}nope.html`);
		const ok = await waitFor(() => world.logLines.find((line) => /^200 GET \/style\.css \d+(\.\d)? ms$/.test(line.message)), { what: 'the style.css line' });
		assert.equal(ok.level, 'info');
		const missing = await waitFor(() => world.logLines.find((line) => line.message.startsWith('404 GET /nope.html')), { what: 'the 404 line' });
		assert.equal(missing.level, 'warn');
	});

	it('adds the headers under each line when liveDevServer.log.headers is on', async () => {
		const { url } = await running();
		world.settings.set('liveDevServer.log.headers', true);
		try {
			await request(`${url}app.js`, { headers: { Cookie: 'secret=1' } });
			const line = await waitFor(() => world.logLines.find((entry) => entry.message.startsWith('200 GET /app.js')), { what: 'the app.js line' });
			assert.match(line.message, /\n {4}> cookie: \[redacted\]/);
			assert.match(line.message, /\n {4}< content-type: text\/javascript/);
		} finally {
			world.settings.delete('liveDevServer.log.headers');
		}
	});

	it('serves an unsaved edit made in the editor (document sync through the LanguageClient)', async () => {
		const { url } = await running();
		const file = path.join(workspace.root, 'index.html');
		let text = fs.readFileSync(file, 'utf8');
		let version = 1;
		const document = {
			uri: Uri.file(file), fileName: file, languageId: 'html', isClosed: false, isDirty: false, isUntitled: false, eol: 1,
			get version() {
				return version;
			},
			getText: () => text,
			get lineCount() {
				return text.split('\n').length;
			},
		};
		world.textDocuments.push(document);
		world.onDidOpenTextDocument.fire(document);
		const inserted = '<!-- typed, not saved -->';
		text = inserted + text;
		version++;
		world.onDidChangeTextDocument.fire({
			document,
			contentChanges: [{ range: new Range(new Position(0, 0), new Position(0, 0)), rangeOffset: 0, rangeLength: 0, text: inserted }],
			reason: undefined,
		});
		await waitFor(async () => (await request(url)).text.includes(inserted), { what: 'the unsaved text served' });
		assert.equal(fs.readFileSync(file, 'utf8').includes(inserted), false);
	});

	it('opens the browser with a custom command: the URL is the last argument, no shell involved', async () => {
		const { url } = await running();
		const out = path.join(workspace.root, 'opened.txt');
		const script = "require('fs').writeFileSync(process.argv[1], process.argv[2])";
		world.settings.set('liveDevServer.openBrowser', `"${process.execPath}" -e "${script}" "${out}"`);
		try {
			await run('liveDevServer.openInBrowser');
			assert.equal(await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8'), { what: 'the browser command to run' }), url);
		} finally {
			world.settings.set('liveDevServer.openBrowser', 'none');
		}
	});

	it('opens the current file through env.openExternal with the default browser setting', async () => {
		const { url } = await running();
		world.settings.set('liveDevServer.openBrowser', 'default');
		try {
			await run('liveDevServer.openWith', Uri.file(path.join(workspace.root, 'sub', 'page.html')));
			assert.deepEqual(world.opened.at(-1), `${url}sub/page.html`);
		} finally {
			world.settings.set('liveDevServer.openBrowser', 'none');
		}
	});

	it('the status bar tooltip follows the number of connected pages', async () => {
		const { url } = await running();
		const base = url.replace(/\/$/, '');
		const client = await connectLiveClient(base, await tokenFromPage(base));
		const tooltip = () => String((world.statusBarItems[0]!.tooltip as { value: string }).value);
		try {
			await waitFor(() => tooltip().includes('1 browser page connected'), { what: 'one page in the tooltip' });
		} finally {
			client.close();
		}
		await waitFor(() => tooltip().includes('0 browser pages connected'), { what: 'no page in the tooltip' });
	});

	it('a changed setting applies without a reload: the server restarts in place with it', async () => {
		const { url, port } = await running();
		world.settings.set('liveDevServer.root', 'sub');
		try {
			world.onDidChangeConfiguration.fire({ affectsConfiguration: (section: string) => section.startsWith('liveDevServer') || section === '' });
			await waitFor(async () => (await request(url)).text.includes('sub index'), { what: 'sub/ served as the root' });
			assert.equal((await running()).port, port);
		} finally {
			world.settings.delete('liveDevServer.root');
			world.onDidChangeConfiguration.fire({ affectsConfiguration: () => true });
		}
		await waitFor(async () => !(await request(url)).text.includes('sub index'), { what: 'the folder served again' });
	});

	it('a crash of the server process shows "stopped" and offers Restart, which serves again', async () => {
		const before = await running();
		forked[0]!.kill('SIGKILL');
		const message = await waitFor(() => world.messages.find((m) => m.kind === 'error' && m.items.includes('Restart')), { what: 'the crash notification' });
		assert.match(message.message, /stopped unexpectedly/);
		// Until the user answers, the status bar says nothing is served, and why.
		assert.equal(statusText(), '$(broadcast) Go Live');
		assert.ok(host.statusItem().backgroundColor !== undefined, 'the failure colour');
		assert.match(host.tooltip(), /stopped unexpectedly/);
		assert.deepEqual(api.states.running, []);
		assert.equal(world.messages.filter((m) => m.kind === 'error').length, 1, 'one notification for the crash');
		// Restart: a new process serves the same folder.
		message.answer('Restart');
		await waitFor(() => forked.length === 2 && api.states.running.length === 1, { what: 'restarted', timeoutMs: 10_000 });
		const after = await running();
		assert.equal((await request(after.url)).status, 200);
		assert.equal(after.folderUri, before.folderUri);
		assert.equal(statusText(), `$(circle-slash) Port ${after.port}`);
		assert.equal(host.statusItem().backgroundColor, undefined);
	});

	it('Stop closes the server and the status bar says Go Live again', async () => {
		const { url } = await running();
		await run('liveDevServer.stop');
		await waitFor(() => statusText() === '$(broadcast) Go Live', { what: 'Go Live' });
		await assert.rejects(request(url, { timeoutMs: 2000 }));
	});

	it('deactivate ends the server process', async () => {
		const child = forked.at(-1)!;
		await host.extension.deactivate();
		await waitFor(() => child.exitCode !== null || child.signalCode !== null, { what: 'the server process to exit' });
	});
});

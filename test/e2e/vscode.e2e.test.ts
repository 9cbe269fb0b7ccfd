// End to end in real VS Code: the packaged .vsix installed into code-server, driven through its workbench in
// Chromium like a user would (status bar, command palette, editor, Output panel), checked from the outside
// (HTTP, a second browser tab, TCP). Run with `npm run test:e2e`; failures leave screenshots and logs in
// test-results/e2e/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { connectError, request } from '../helpers/httpRequest';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor, withTimeout } from '../helpers/waitFor';
import { CodeServer, codeServerExecutable, QUIET_SETTINGS } from './codeServer';
import { onExit, removeFolder } from './exitCleanup';
import { packageExtension, repoDistSnapshot, type PackagedExtension } from './packageExtension';
import { Workbench } from './workbench';

const RESULTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const { name, publisher, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, string>;
/** vsce's target names are Node's platform-arch pairs (linux-x64, darwin-arm64, win32-x64...). */
const TARGET = `${process.platform}-${process.arch}`;
const TYPED = `typed-without-saving-${process.pid}`;

let home: string;
let workspace: TempWorkspace;
let removeTempFoldersOnExit: (() => void) | undefined;
let packaged: PackagedExtension | undefined;
let codeServer: CodeServer;
let browser: Browser;
let context: BrowserContext;
let workbench: Workbench;
/** The served site, in a second tab (straight to 127.0.0.1, not through code-server's /proxy/). */
let site: Page | undefined;
/** The same site through code-server's port forwarding, as `openBrowser: default` would open it here. */
let forwarded: Page | undefined;
/** The port the status bar shows (liveDevServer.port is 0: the system picks one when the server starts). */
let sitePort: number;
/** Main-frame navigations of each served tab since it opened. */
const navigations = new Map<Page, number>();
/** Navigation counts when the CSS edit began: none may follow while the server runs (up to step 5's Stop). */
let navigationsBeforeCss: Map<Page, number> | undefined;
let failedStep: string | undefined;

before(async () => {
	fs.rmSync(RESULTS, { recursive: true, force: true });
	home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lds-e2e-')));
	workspace = createTempWorkspace('e2e');
	// Also on Ctrl-C or SIGTERM, when the after hook never runs.
	removeTempFoldersOnExit = onExit(() => {
		removeFolder(home);
		workspace.remove();
	});
	const settings = {
		...QUIET_SETTINGS,
		// Any free port, bound by the server itself: nothing can take it meanwhile, and the test has to learn it
		// from the status bar.
		'liveDevServer.port': 0,
		// The test opens its own tab; in code-server `default` would open a popup through /proxy/<port>/.
		'liveDevServer.openBrowser': 'none',
		'liveDevServer.handlers.enabled': true,
	};
	codeServer = new CodeServer({ executable: codeServerExecutable(), home, workspace: workspace.root, settings });
	browser = await launchBrowser();
	context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	workbench = new Workbench(await context.newPage());
});

after(async () => {
	await browser?.close().catch(() => undefined);
	await codeServer?.stop();
	packaged?.dispose();
	if (failedStep !== undefined) console.log(`e2e: screenshots and logs of the failure are in ${RESULTS}`);
	removeFolder(home);
	workspace?.remove();
	removeTempFoldersOnExit?.();
});

/**
 * One numbered step of the scenario. Steps build on each other, so after a failure the rest are skipped; the
 * failure leaves screenshots of every tab and code-server's logs in test-results/e2e/.
 */
async function step(t: TestContext, body: () => Promise<void>): Promise<void> {
	if (failedStep !== undefined) {
		t.skip(`after the failure of "${failedStep}"`);
		return;
	}
	const started = Date.now();
	try {
		await body();
		t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (error) {
		failedStep = t.name;
		const prefix = path.join(RESULTS, t.name.replace(/[^\w.-]+/g, '-').slice(0, 60));
		fs.mkdirSync(RESULTS, { recursive: true });
		await workbench?.page.screenshot({ path: `${prefix}-vscode.png`, timeout: 10_000 }).catch(() => undefined);
		await site?.screenshot({ path: `${prefix}-site.png`, timeout: 10_000 }).catch(() => undefined);
		await forwarded?.screenshot({ path: `${prefix}-site-forwarded.png`, timeout: 10_000 }).catch(() => undefined);
		codeServer?.copyLogs(path.join(RESULTS, 'logs'));
		if (error instanceof Error) error.message += `\n    screenshots and logs: ${RESULTS}`;
		throw error;
	}
}

describe('Live Dev Server in VS Code (code-server)', { timeout: 8 * 60_000 }, () => {
	it('1. packages the extension, installs the .vsix and activates in the workbench', (t) => step(t, async () => {
		let phaseStart = Date.now();
		const phase = (what: string) => {
			t.diagnostic(`${what}: ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
			phaseStart = Date.now();
		};
		const distBefore = repoDistSnapshot();
		packaged = await packageExtension({ target: TARGET });
		assert.equal(path.basename(packaged.vsix), `${name}-${TARGET}-${version}.vsix`);
		assert.equal(repoDistSnapshot(), distBefore, "the repository's dist/ is left alone (packaged in a copy)");
		phase('packaged (typecheck, production build, vsce)');

		const output = await codeServer.installExtension(packaged.vsix);
		assert.match(output, /was successfully installed/);
		assert.ok((await codeServer.listExtensions()).includes(`${publisher}.${name}@${version}`), 'code-server lists the extension');
		// The platform package ships esbuild for request handlers (step 6).
		const installed = path.join(codeServer.extensionsDir, `${publisher}.${name}-${version}`);
		assert.ok(fs.existsSync(path.join(installed, 'node_modules', '@esbuild', TARGET, 'package.json')), `${installed} holds @esbuild/${TARGET}`);
		phase('installed');

		await codeServer.start();
		phase('code-server started');
		await workbench.open(codeServer.url);
		phase('workbench loaded');
		// Activated by workspaceContains:**/*.html, with nothing served yet.
		assert.equal(await workbench.waitForStatus(/Go Live/, 60_000), 'Go Live');
		phase('extension activated');
	}));

	it('2. "Go Live" in the status bar serves the folder and turns into the port', (t) => step(t, async () => {
		await workbench.statusItem.click();
		sitePort = await goneLive();
		// The port came from the status bar only (the setting says 0): serving there proves it is the real one.
		const page = await request(`http://127.0.0.1:${sitePort}/`);
		assert.equal(page.status, 200);
		assert.match(page.text, /<h1>Live Dev Server e2e<\/h1>/);
		assert.match(page.text, /<script src="__live\/client\.js\?t=/, 'the live-reload script is injected');
	}));

	it('3. the Output panel shows each request with its status, and its headers when enabled', (t) => step(t, async () => {
		await workbench.runCommand('Live Dev Server: Show Request Log');
		await workbench.waitForOutput(/\[info\] 200 GET \/ [\d.]+ ms/);

		// Room for a request line with its headers (about 15 lines); the panel follows the end of the log.
		await workbench.runCommand('View: Toggle Maximized Panel');
		assert.equal((await request(`http://127.0.0.1:${sitePort}/?before=1`)).status, 200);
		const before = await workbench.waitForOutput(/\[info\] 200 GET \/\?before=1 [\d.]+ ms/);
		assert.doesNotMatch(before, /GET \/\?before=1 [\d.]+ ms\n\s*[<>] /, 'no header lines while liveDevServer.log.headers is off');
		await workbench.runCommand('View: Toggle Maximized Panel');

		await workbench.enableSetting('liveDevServer.log.headers', () => /"liveDevServer\.log\.headers": true/.test(fs.readFileSync(codeServer.settingsFile, 'utf8')));
		await workbench.runCommand('View: Toggle Maximized Panel');
		let n = 0;
		// VS Code writes the setting a moment after the click: request until a line comes with its headers.
		await workbench.waitForOutput(/200 GET \/\?after=\d+ [\d.]+ ms\n\s*> host: 127\.0\.0\.1:\d+\n[\s\S]*\n\s*< content-type: text\/html/, {
			poke: async () => (await request(`http://127.0.0.1:${sitePort}/?after=${++n}`)).status,
		});
		await workbench.runCommand('View: Toggle Maximized Panel');
	}));

	it('4. a second tab shows unsaved typing in the HTML, and a saved CSS change without a reload', (t) => step(t, async () => {
		site = await openLivePage(`http://127.0.0.1:${sitePort}/`);
		forwarded = await openLivePage(codeServer.forwardedUrl(sitePort));
		const pages = [site, forwarded];

		const indexFile = path.join(workspace.root, 'index.html');
		const indexOnDisk = fs.readFileSync(indexFile, 'utf8');
		await workbench.openFile('index.html');
		// Found by content, so the fixture's layout may change: typed at the end of the line that opens the paragraph.
		await workbench.goToLine(lineNumberOf(indexFile, '<p id="typed">'));
		await workbench.page.keyboard.press('End');
		await workbench.page.keyboard.type(TYPED);
		for (const page of pages) {
			await waitFor(async () => (await page.locator('#typed').innerText()).includes(TYPED), { timeoutMs: 15_000, what: `the typed text in ${page.url()}` });
		}
		assert.ok(await workbench.activeTabDirty(), 'index.html is unsaved');
		assert.equal(fs.readFileSync(path.join(workspace.root, 'index.html'), 'utf8'), indexOnDisk, 'index.html on disk is unchanged');

		const colorOfTyped = (page: Page) => page.$eval('#typed', (element) => getComputedStyle(element).color);
		navigationsBeforeCss = new Map();
		for (const page of pages) {
			assert.equal(await colorOfTyped(page), 'rgb(0, 0, 255)');
			await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'still here'));
			navigationsBeforeCss.set(page, navigations.get(page)!);
		}
		const cssFile = path.join(workspace.root, 'style.css');
		const colorLine = lineNumberOf(cssFile, 'rgb(0, 0, 255)');
		await workbench.openFile('style.css');
		await workbench.goToLine(colorLine);
		await workbench.page.keyboard.press('Shift+End'); // the line from its first column, replaced as a whole
		await workbench.page.keyboard.type(fs.readFileSync(cssFile, 'utf8').split('\n')[colorLine - 1].replace('rgb(0, 0, 255)', 'rgb(255, 0, 0)'));
		await workbench.page.keyboard.press('Control+S');
		await waitFor(() => fs.readFileSync(cssFile, 'utf8').includes('rgb(255, 0, 0)'), { timeoutMs: 10_000, what: 'style.css saved' });
		for (const page of pages) {
			await waitFor(async () => (await colorOfTyped(page)) === 'rgb(255, 0, 0)', { timeoutMs: 10_000, what: `the new color in ${page.url()}` });
		}
		await assertNotReloadedSinceCss(pages);
	}));

	it('5. "Live Dev Server: Stop" from the palette closes the port and the status bar says "Go Live"', (t) => step(t, async () => {
		await workbench.runCommand('Live Dev Server: Stop');
		assert.equal(await workbench.waitForStatus(/^Go Live$/), 'Go Live');
		await waitFor(async () => (await connectError(sitePort)) === 'ECONNREFUSED', { timeoutMs: 10_000, what: `port ${sitePort} to refuse connections` });
		// The open page noticed too: its client shows that the server is gone.
		await site!.locator('live-dev-server-status').waitFor({ state: 'attached', timeout: 10_000 });
		// Checked again now that the server is gone: a reload it sent after step 4's check (say, for the file
		// watcher's late event about style.css) would have navigated a tab by now.
		await assertNotReloadedSinceCss([site!, forwarded!]);
	}));

	it('6. a request handler in the workspace shows a server-side time that changes between requests', (t) => step(t, async () => {
		// A fresh tab: the old ones reload by themselves once the server is back, which would race with navigation.
		for (const old of [site, forwarded]) await old?.close();
		site = await context.newPage();
		forwarded = undefined;
		await workbench.statusItem.click();
		sitePort = await goneLive();
		const page = site;
		const timeShown = async () => (await page.locator('#time').innerText({ timeout: 10_000 })).trim();
		const response = await page.goto(`http://127.0.0.1:${sitePort}/api/time`);
		assert.equal(response?.status(), 200);
		const first = await timeShown();
		assert.ok(Math.abs(Date.parse(first) - Date.now()) < 60_000, `"${first}" is the current time`);
		const second = await waitFor(async () => {
			await page.reload();
			const shown = await timeShown();
			return shown !== first && shown;
		}, { timeoutMs: 10_000, intervalMs: 20, what: 'a different time on reload' });
		assert.ok(Date.parse(second) > Date.parse(first), `${second} is later than ${first}`);
	}));
});

/** The port "Port N" in the status bar shows once the server runs. */
async function goneLive(): Promise<number> {
	const port = Number(/^Port (\d+)$/.exec(await workbench.waitForStatus(/^Port \d+$/))![1]);
	assert.ok(port > 0 && port < 65536, `port ${port}`);
	return port;
}

/** The 1-based number of the first line of `file` that contains `text`. */
function lineNumberOf(file: string, text: string): number {
	const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
	assert.ok(index >= 0, `${file} has a line with ${text}`);
	return index + 1;
}

/** The CSS change was applied in place: no tab navigated since, and the page's own state is still there. */
async function assertNotReloadedSinceCss(pages: Page[]): Promise<void> {
	for (const page of pages) {
		assert.equal(navigations.get(page), navigationsBeforeCss?.get(page), `${page.url()} navigated after the CSS edit`);
		assert.equal(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker), 'still here', `${page.url()} was reloaded`);
	}
}

/** Opens a served page in a new tab and waits until its live-reload client has said hello over its WebSocket. */
async function openLivePage(url: string): Promise<Page> {
	const page = await context.newPage();
	navigations.set(page, 0);
	page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.set(page, navigations.get(page)! + 1));
	const connected = new Promise<void>((resolve) => {
		page.on('websocket', (socket) => {
			if (socket.url().includes('/__live/ws/')) socket.on('framesent', (frame) => String(frame.payload).includes('"hello"') && resolve());
		});
	});
	const response = await page.goto(url);
	assert.equal(response?.status(), 200, url);
	const timeoutMs = 10_000;
	await withTimeout(connected, timeoutMs, () => `Timed out after ${timeoutMs} ms waiting for the live-reload connection of ${url}`);
	return page;
}


// The universal VSIX's README (npm run package, vsix-readme.mjs) in code-server's Extensions view, with its
// screenshot. VS Code shows only https images there, so the package is built with LDS_IMAGES_URL pointing at a copy
// of media/ served over HTTPS on 127.0.0.1; without it the image is left out (test/integration/vsixReadme.test.ts).
// Size and contents of that VSIX: universalVsix.e2e.test.ts.
// LDS_SCREENSHOT=<file.png> also captures the README's screenshot: VS Code serving examples/ with the status
// bar, the request log and the page (Simple Browser) in one picture.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { request } from '../helpers/httpRequest';
import { REPO_ROOT } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';
import { CodeServer, codeServerExecutable, QUIET_SETTINGS } from './codeServer';
import { onExit, removeFolder } from './exitCleanup';
import { packageExtension, type PackagedExtension } from './packageExtension';
import { Workbench } from './workbench';

const RESULTS = path.join(REPO_ROOT, 'test-results', 'e2e-readme');
const SCREENSHOT = process.env.LDS_SCREENSHOT;

let home: string;
let workspace: string;
let removeHomeOnExit: (() => void) | undefined;
let packaged: PackagedExtension | undefined;
let codeServer: CodeServer;
let browser: Browser;
let workbench: Workbench;
/** Serves a copy of media/ (dist/cli.js), standing in for wherever the project publishes its images. */
let images: ChildProcess | undefined;
let imagesUrl: string;
let removeImagesOnExit: (() => void) | undefined;

before(async () => {
	home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lds-e2e-readme-')));
	removeHomeOnExit = onExit(() => removeFolder(home));
	workspace = path.join(home, 'examples');
	fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
	const settings = { ...QUIET_SETTINGS, 'liveDevServer.port': 0, 'liveDevServer.openBrowser': 'none', 'workbench.colorTheme': 'Default Dark Modern' };
	const published = path.join(home, 'published');
	fs.cpSync(path.join(REPO_ROOT, 'media'), path.join(published, 'media'), { recursive: true });
	// https: the README webview's Content-Security-Policy allows no http images. Its self-signed certificate goes
	// into this test's own cache folder, and the browser context accepts it. Port 0: the server says which.
	const server = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '0', '--directory', published, '--https', '--no-reload', '--quiet'], {
		stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: path.join(home, 'cache') },
	});
	images = server;
	removeImagesOnExit = onExit(() => server.kill('SIGKILL'));
	let output = '';
	server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	imagesUrl = await waitFor(() => /\((https:\/\/127\.0\.0\.1:\d+\/)\)/.exec(output)?.[1], { what: 'the image server to listen', timeoutMs: 15_000 });
	codeServer = new CodeServer({ executable: codeServerExecutable(), home, workspace, settings });
	browser = await launchBrowser();
	const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, ignoreHTTPSErrors: true });
	workbench = new Workbench(await context.newPage());
});

after(async () => {
	await browser?.close().catch(() => undefined);
	await codeServer?.stop();
	images?.kill();
	removeImagesOnExit?.();
	packaged?.dispose();
	removeFolder(home);
	removeHomeOnExit?.();
});

/** A failure leaves what the workbench showed and code-server's logs behind. */
async function keepEvidence<T>(label: string, body: () => Promise<T>): Promise<T> {
	try {
		return await body();
	} catch (error) {
		fs.mkdirSync(RESULTS, { recursive: true });
		await workbench?.page.screenshot({ path: path.join(RESULTS, `${label}.png`), timeout: 10_000 }).catch(() => undefined);
		codeServer?.copyLogs(path.join(RESULTS, 'logs'));
		if (error instanceof Error) error.message += `\n    screenshot and logs: ${RESULTS}`;
		throw error;
	}
}

describe('the packaged extension in the Extensions view (code-server)', { timeout: 6 * 60_000 }, () => {
	it('the README of the universal VSIX shows the screenshot', () => keepEvidence('readme', async () => {
		// Packaged in a copy of the tree (packageExtension, so dist/ is left alone), reached by npm's environment.
		process.env.LDS_IMAGES_URL = imagesUrl;
		try {
			packaged = await packageExtension();
		} finally {
			delete process.env.LDS_IMAGES_URL;
		}
		assert.match(await codeServer.installExtension(packaged.vsix), /was successfully installed/);
		await codeServer.start();
		await workbench.open(codeServer.url);
		await workbench.waitForStatus(/Go Live/, 60_000);

		await workbench.runCommand('Extensions: Show Installed Extensions');
		await workbench.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Live Dev Server' }).first().click({ timeout: 30_000 });
		// The README is a webview: an iframe in an iframe. The picture must have loaded from LDS_IMAGES_URL.
		const image = await waitFor(async () => {
			for (const frame of workbench.page.frames()) {
				const width = await imageWidth(frame);
				if (width > 0) return width;
			}
			return 0;
		}, { timeoutMs: 30_000, intervalMs: 250, what: 'the README screenshot to load in the Extensions view' });
		assert.ok(image > 0);
		await workbench.runCommand('View: Close All Editors');
	}));

	// A capture step, not a check: it is registered only when asked for, so a normal run lists no skipped test.
	if (SCREENSHOT !== undefined) it('captures the README screenshot into LDS_SCREENSHOT', () => keepEvidence('screenshot', async () => {
		const page = workbench.page;
		await workbench.runCommand('View: Close Primary Side Bar');
		await workbench.runCommand('View: Hide Secondary Side Bar');
		await workbench.openFile('index.html');
		await workbench.statusItem.click();
		const url = `http://127.0.0.1:${(await workbench.waitForStatus(/^Port \d+$/)).slice('Port '.length)}/`;
		// The page itself, beside the editor: VS Code's Simple Browser (it asks for the URL in the quick input).
		await page.keyboard.press('F1');
		await page.locator('.quick-input-widget input').first().fill('>Simple Browser: Show');
		await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Simple Browser: Show' }).first().waitFor({ timeout: 10_000 });
		await page.keyboard.press('Enter');
		const address = page.locator('.quick-input-widget input[placeholder="https://example.com"]');
		await address.waitFor({ timeout: 10_000 });
		await address.fill(url);
		await page.keyboard.press('Enter');
		await waitFor(async () => {
			for (const frame of page.frames()) if (await frame.locator('h1', { hasText: 'Live Dev Server' }).count().catch(() => 0)) return true;
			return false;
		}, { timeoutMs: 20_000, intervalMs: 250, what: 'the page in the Simple Browser' });
		await workbench.runCommand('View: Move Editor into Next Group'); // the page on the right, the HTML on the left
		await workbench.runCommand('Live Dev Server: Show Request Log');
		for (const file of ['style.css', 'app.js', 'missing.html']) await request(`${url}${file}`);
		await workbench.waitForOutput(/404 GET \/missing\.html/);
		// No hover tooltip in the picture: the pointer rests on the empty end of the Output panel.
		await page.mouse.move(1000, 720);
		await waitFor(async () => (await page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').count()) === 0, { what: 'tooltips to close' });
		await page.screenshot({ path: SCREENSHOT!, timeout: 10_000 });
		console.log(`# wrote ${SCREENSHOT} (${(fs.statSync(SCREENSHOT!).size / 1024).toFixed(0)} KB)`);
	}));
});

async function imageWidth(frame: Frame): Promise<number> {
	try {
		return await frame.evaluate(() => {
			const image = document.querySelector('img[alt*="Live Dev Server"]') as HTMLImageElement | null;
			return image !== null && image.complete ? image.naturalWidth : 0;
		});
	} catch {
		return 0; // a frame navigating or detached meanwhile
	}
}

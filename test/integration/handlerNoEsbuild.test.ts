import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HandlerHost, type HandlerDiagnosticsEvent } from '../../server-core/handlers/handlerHost';
import { DEFAULT_HANDLER_SETTINGS } from '../../server-core/protocol/settings';
import { startCli, stopCli, type CliProcess } from '../helpers/cliProcess';
import { HANDLER_WORKER } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';

// The universal VSIX ships dist/ without node_modules: esbuild cannot be loaded there.
describe('handlers in a build without esbuild (the universal VSIX)', () => {
	let install: TempWorkspace;
	let cli: CliProcess;
	before(async () => {
		install = createTempWorkspace();
		for (const file of ['cli.js', 'handlerWorker.js']) fs.copyFileSync(path.join(REPO_ROOT, 'dist', file), install.write(`dist/${file}`, ''));
		install.write('site/api/hello.ts', 'export const GET = () => "hi";');
		install.write('site/style.css', 'p { color: teal; }');
		// A copied CLI outside the repository: no node_modules above it to resolve esbuild from.
		assert.ok(!fs.existsSync(path.join(path.dirname(install.root), 'node_modules', 'esbuild')), 'no esbuild above the temp folder');
		cli = await startCli(['--directory', path.join(install.root, 'site'), '--handlers', '--no-reload', '--quiet'], {}, path.join(install.root, 'dist', 'cli.js'));
	});
	after(async () => {
		await stopCli(cli);
		install.remove();
	});

	it('says that this build has no handler support and what to install, without blaming the handler file', async () => {
		const res = await request(`${cli.base}/api/hello`);
		assert.equal(res.status, 500);
		assert.match(res.text, /Request handlers need esbuild, which this installation does not include/);
		assert.match(res.text, /VSIX for your platform/);
		assert.doesNotMatch(res.text, /failed to compile|Fix the errors|api\/hello\.ts:1/);
		assert.equal((await request(`${cli.base}/style.css`)).status, 200, 'static files are served as usual');
	});
});

describe('the handler host without esbuild', () => {
	let workspace: TempWorkspace;
	before(() => {
		workspace = createTempWorkspace();
		workspace.write('api/hello.ts', 'export const GET = () => "hi";');
	});
	after(() => workspace.remove());

	it('publishes no diagnostic on the user\'s file', async () => {
		const missing = Object.assign(new Error("Cannot find package 'esbuild' imported from /ext/dist/server.js"), { code: 'ERR_MODULE_NOT_FOUND' });
		const host = new HandlerHost({
			root: workspace.root,
			dir: path.join(workspace.root, 'api'),
			timeoutMs: DEFAULT_HANDLER_SETTINGS.timeoutMs,
			memoryLimitMb: DEFAULT_HANDLER_SETTINGS.memoryLimitMb,
			workerPath: HANDLER_WORKER,
			loadEsbuild: () => Promise.reject(missing),
		});
		const published: HandlerDiagnosticsEvent[] = [];
		host.onDidChangeDiagnostics.on((event) => published.push(event));
		try {
			const match = host.match('/api/hello')!;
			const dispatch = await host.prepare(match);
			assert.equal(dispatch.ok, false);
			assert.ok(!dispatch.ok && dispatch.result.compilerMissing === true);
			assert.deepEqual(!dispatch.ok && dispatch.result.diagnostics, []);
			assert.deepEqual(published.flatMap((event) => event.files).filter((entry) => entry.diagnostics.length > 0), [], 'no diagnostics');
		} finally {
			await host.dispose();
		}
	});
});

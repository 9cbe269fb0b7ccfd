import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { processExists, startCli, stopCli, type CliProcess } from '../helpers/cliProcess';
import { startHandlerSession } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

// Handlers that fail in every way a handler can; each must end at most its own worker process, never the server.
const FAILING_HANDLERS: Record<string, string> = {
	'busy.ts': 'export function GET() { for (;;) {} }',
	'hang.ts': 'export const GET = () => new Promise(() => {});',
	'oom.ts': 'export function GET() { const hog: number[][] = []; for (;;) hog.push(new Array(1_000_000).fill(1)); }',
	'exit.ts': 'export function GET() { process.exit(1); }',
	'recursion.ts': 'function down(n: number): number { return down(n + 1) + 1; }\nexport const GET = () => String(down(0));',
	'timer-crash.ts': 'export function GET() { setTimeout(() => { throw new Error("timer crash"); }, 0); return new Promise(() => {}); }',
	'abort.ts': 'export function GET() { process.abort(); }',
};

describe('a burst of failing handlers never takes the server down (command line, own process)', () => {
	let workspace: TempWorkspace;
	let cli: CliProcess;
	before(async () => {
		workspace = createTempWorkspace('site');
		for (const [name, source] of Object.entries(FAILING_HANDLERS)) workspace.write(`api/${name}`, source);
		workspace.write('api/ok.ts', 'export const GET = () => "ok";');
		cli = await startCli(['--directory', workspace.root, '--handlers', '--handler-timeout', '300', '--no-reload', '--quiet']);
	});
	after(async () => {
		await stopCli(cli);
		workspace.remove();
	});

	it('answers every request, keeps serving static files throughout, and stays up, round after round', async () => {
		for (let round = 1; round <= 4; round++) {
			let burstDone = false;
			const statics: (number | string)[] = [];
			// Static files are fetched the whole time the burst runs (bounded: the burst ends within the timeouts).
			const staticLoop = (async () => {
				for (let index = 0; index < 500 && !burstDone; index++) {
					statics.push(await request(`${cli.base}/style.css`).then((res) => res.status, (error: Error) => `error: ${error.message}`));
				}
			})();
			const paths = ['busy', 'busy', 'hang', ...Object.keys(FAILING_HANDLERS).map((name) => path.basename(name, '.ts')), ...Array<string>(10).fill('ok')];
			const results = await Promise.all(paths.map((name) => request(`${cli.base}/api/${name}`).then(
				(res) => ({ name, status: res.status }),
				(error: Error) => ({ name, status: `error: ${error.message}` }),
			)));
			burstDone = true;
			await staticLoop;
			assert.equal(cli.child.exitCode, null, `round ${round}: the server process is still running\n${cli.output().slice(-2000)}`);
			assert.equal(cli.child.signalCode, null, `round ${round}: not killed by a signal`);
			for (const result of results) {
				assert.ok(typeof result.status === 'number' && (result.name === 'ok' ? [200, 500, 504].includes(result.status) : result.status >= 500), `round ${round}: ${result.name} answered ${result.status}\n${cli.output().slice(-2000)}`);
			}
			assert.ok(statics.length > 0 && statics.every((status) => status === 200), `round ${round}: static files answered 200 during the burst (${statics.join(',')})`);
			// The 300 ms timeout is short for a fresh worker on a busy machine: allow a few tries, not a failure for good.
			await waitFor(async () => (await request(`${cli.base}/api/ok`)).text === 'ok', { timeoutMs: 10_000, what: `round ${round}: handlers working again after the burst` });
		}
	});
});

/** Children of a process from /proc (Linux); empty elsewhere. Waits for the spare worker to have started. */
async function childPidsOf(parent: number): Promise<number[]> {
	if (!fs.existsSync('/proc/self/stat')) return [];
	const read = () => fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
		try {
			// Fields after the command name (which is in parentheses and may contain spaces): state, ppid, ...
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
		} catch {
			return false;
		}
	});
	return waitFor(() => read().length >= 2 && read(), { what: 'the current and the spare worker' });
}

describe('no worker process outlives the server', () => {
	let workspace: TempWorkspace;
	before(() => {
		workspace = createTempWorkspace('site');
		workspace.write('api/pid.ts', 'export const GET = () => String(process.pid);');
		workspace.write('api/env.ts', 'export const GET = () => String(process.env.ELECTRON_RUN_AS_NODE);');
		const marker = path.join(workspace.root, 'busy-pid.txt');
		workspace.write('api/spin.ts', `import { writeFileSync } from 'node:fs';
export function GET() { writeFileSync(${JSON.stringify(marker)}, String(process.pid)); for (;;) {} }`);
	});
	after(() => workspace.remove());

	it('ends idle and busy workers when the server process is killed outright (SIGKILL)', async () => {
		const cli = await startCli(['--directory', workspace.root, '--handlers', '--handler-timeout', '60000', '--no-reload', '--quiet']);
		const marker = path.join(workspace.root, 'busy-pid.txt');
		fs.rmSync(marker, { force: true });
		try {
			const idlePid = Number((await request(`${cli.base}/api/pid`)).text);
			assert.ok(idlePid > 0 && idlePid !== cli.child.pid, 'handlers run in their own process');
			// A separate route is compiled on its own: the busy loop runs in the same worker (no change since).
			void request(`${cli.base}/api/spin`, { timeoutMs: 60_000 }).catch(() => undefined);
			const busyPid = await waitFor(() => fs.existsSync(marker) && Number(fs.readFileSync(marker, 'utf8')), { what: 'the busy handler to start' });
			assert.ok(processExists(busyPid));
			// The pre-started spare worker too, where the process table can be read (Linux).
			const workers = [idlePid, busyPid, ...(await childPidsOf(cli.child.pid!))];
			cli.child.kill('SIGKILL');
			await cli.exited;
			await waitFor(() => workers.every((pid) => !processExists(pid)), { timeoutMs: 5000, what: `the worker processes ${workers.join(', ')} to end` });
		} finally {
			await stopCli(cli);
		}
	});

	it('ends the workers when the server stops with Ctrl-C, and when a session closes', async () => {
		// Inside VS Code the server runs on Electron, which behaves as Node only with this variable: workers inherit it.
		const cli = await startCli(['--directory', workspace.root, '--handlers', '--no-reload', '--quiet'], { ELECTRON_RUN_AS_NODE: '1' });
		assert.equal((await request(`${cli.base}/api/env`)).text, '1', 'the worker inherits the server environment');
		const cliPid = Number((await request(`${cli.base}/api/pid`)).text);
		await stopCli(cli);
		assert.equal((await cli.exited).code, 0);
		await waitFor(() => !processExists(cliPid), { timeoutMs: 5000, what: 'the worker of the stopped CLI to end' });

		const session = await startHandlerSession(workspace.root);
		const sessionPid = Number((await request(`${session.base}/api/pid`)).text);
		assert.ok(processExists(sessionPid));
		await session.close();
		assert.equal(processExists(sessionPid), false, 'closing the session stopped its worker');
	});
});

describe('handlers cannot signal the server', () => {
	let workspace: TempWorkspace;
	let cli: CliProcess;
	// Each a way to name the server (the worker's parent), the worker itself or a process group.
	const TARGETS: Record<string, string> = {
		'parent-string': 'String(process.ppid)',
		'parent-number': 'process.ppid',
		'parent-object': '({ valueOf: () => process.ppid })',
		'self-string': 'String(process.pid)',
		'own-group': '0',
		'own-group-negative': '-process.pid',
		'internal': 'process.ppid, "via _kill"',
	};
	before(async () => {
		workspace = createTempWorkspace('site');
		for (const [name, target] of Object.entries(TARGETS)) {
			const call = name === 'internal'
				? '(process as unknown as { _kill(pid: number, signal: number): void })._kill(process.ppid, 15)'
				: `process.kill(${target} as unknown as number, 'SIGTERM')`;
			workspace.write(`api/kill/${name}.ts`, `export function GET() { ${call}; return 'signal sent'; }`);
		}
		workspace.write('api/ok.ts', 'export const GET = () => "ok";');
		cli = await startCli(['--directory', workspace.root, '--handlers', '--no-reload', '--quiet']);
	});
	after(async () => {
		await stopCli(cli);
		workspace.remove();
	});

	for (const name of Object.keys(TARGETS)) {
		it(`refuses process.kill of ${name}, and the server and its worker stay up`, async () => {
			const res = await request(`${cli.base}/api/kill/${name}`);
			assert.equal(res.status, 500, res.text.slice(0, 300));
			assert.match(res.text, /Handlers may not send signals to the server or its worker process/);
			assert.equal((await request(`${cli.base}/style.css`)).status, 200);
			assert.equal((await request(`${cli.base}/api/ok`)).text, 'ok');
			assert.equal(cli.child.exitCode, null);
			assert.doesNotMatch(cli.output(), /worker \d+ stopped/, 'the worker was not killed either');
		});
	}
});

// test/e2e/install-code-server.sh against a fake cache and a fake npm: a cache that does not run is never
// reported ready, a moved one keeps working, and an interrupted or killed install leaves nothing behind that
// holds the cache lock. Milliseconds each; run by `npm run test:e2e`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/waitFor';
import { killGroup } from './exitCleanup';
import { FAKE_VERSION_LINE, FakeInstall, groupMembers, type InstallerRun } from './fakeInstall';

let root: string;
let fake: FakeInstall;
let n = 0;
/** Process groups a test started; killed afterwards whatever happened. */
const groups: number[] = [];

before(() => {
	root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lds-installer-')));
	fake = new FakeInstall(root);
});

after(() => {
	for (const pgid of groups) killGroup(pgid);
	fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
});

function freshCache(): string {
	fs.rmSync(fake.npmPidFile, { force: true });
	return path.join(root, `cache-${++n}`);
}

function start(cache: string, options?: Parameters<FakeInstall['start']>[1]): InstallerRun {
	const run = fake.start(cache, options);
	groups.push(run.child.pid!);
	return run;
}

function lockIsFree(cache: string): boolean {
	return spawnSync('flock', ['-n', path.join(cache, '.install.lock'), 'true']).status === 0;
}

/** The installer has reached `npm install` (the fake one hangs there); returns npm's pid. */
async function waitForNpm(run: InstallerRun): Promise<number> {
	const pid = await waitFor(() => fake.npmPid(), { timeoutMs: 10_000, what: 'the installer to run npm', details: () => run.output });
	groups.push(pid); // npm runs in a process group of its own
	return pid;
}

function runCodeServerVersion(executable: string): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync(executable, ['--config', '/dev/null', '--version'], { encoding: 'utf8', timeout: 10_000 });
	return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('install-code-server.sh', { skip: process.platform !== 'linux' && 'the installer is Linux only', timeout: 60_000 }, () => {
	it('keeps a complete cache, which still runs after the cache folder is moved', async () => {
		const cache = freshCache();
		fake.makeCompleteCache(cache);
		const first = start(cache);
		assert.equal(await first.result(), 0, first.output);
		assert.match(first.output, /already in/);
		assert.match(first.output, new RegExp(`CODE_SERVER=${cache}/bin/code-server\\n$`));
		assert.equal(fake.npmPid(), undefined, 'nothing was installed');

		// Moved (or restored from a CI cache into another home): run straight away, without the installer.
		const moved = `${cache}-moved`;
		fs.renameSync(cache, moved);
		const direct = runCodeServerVersion(path.join(moved, 'bin', 'code-server'));
		assert.deepEqual(direct, { status: 0, stdout: FAKE_VERSION_LINE, stderr: '' });

		const again = start(moved);
		assert.equal(await again.result(), 0, again.output);
		assert.match(again.output, /already in/);
	});

	it('reinstalls a cache marked complete whose code-server does not run, instead of reporting it ready', async () => {
		const cache = freshCache();
		fake.makeCompleteCache(cache);
		fs.rmSync(fake.entryScript(cache));
		const run = start(cache, { npm: 'fail' });
		const code = await run.result();
		assert.notEqual(code, 0, run.output);
		assert.match(run.output, /does not run .*reinstalling/);
		assert.doesNotMatch(run.output, /\] ready in|^CODE_SERVER=/m);
	});

	it('Ctrl-C during npm install stops everything it started and frees the lock', async () => {
		const cache = freshCache();
		const run = start(cache);
		const npm = await waitForNpm(run);
		process.kill(-run.child.pid!, 'SIGINT'); // what a terminal sends to the foreground job
		assert.notEqual(await run.result({ outputComplete: false }), 0);
		await waitFor(() => groupMembers(run.child.pid!).length === 0 && groupMembers(npm).length === 0, {
			timeoutMs: 10_000,
			what: "the installer's processes to end",
			details: () => `left: [${groupMembers(run.child.pid!)}], npm's: [${groupMembers(npm)}]`,
		});
		assert.ok(lockIsFree(cache), 'the cache lock is free');
	});

	it('a SIGKILLed installer leaves no heartbeat behind holding the lock', async () => {
		const cache = freshCache();
		const run = start(cache);
		const npm = await waitForNpm(run);
		process.kill(run.child.pid!, 'SIGKILL'); // the script only: no trap runs
		await run.result({ outputComplete: false });
		killGroup(npm); // the command it ran may finish its work; here it would hang
		await waitFor(() => groupMembers(run.child.pid!).length === 0, {
			timeoutMs: 10_000,
			what: 'the heartbeat to notice and end',
			details: () => `left: [${groupMembers(run.child.pid!)}]`,
		});
		await waitFor(() => lockIsFree(cache), { timeoutMs: 5000, what: 'the cache lock to be free' });
	});

	it('a second installer says that it waits for the lock, then goes on', async () => {
		const cache = freshCache();
		fake.makeCompleteCache(cache);
		// Another installer, as far as the lock goes: holds it until its stdin closes.
		const holder = spawn('flock', [path.join(cache, '.install.lock'), 'sh', '-c', 'echo locked; read line'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
		groups.push(holder.pid!);
		let holderOutput = '';
		holder.stdout!.on('data', (chunk: Buffer) => (holderOutput += chunk.toString()));
		await waitFor(() => holderOutput.includes('locked'), { timeoutMs: 10_000, what: 'the lock holder' });

		const run = start(cache);
		await waitFor(() => /waiting for the other install-code-server\.sh/.test(run.output), { timeoutMs: 10_000, what: 'the waiting message', details: () => run.output });
		assert.doesNotMatch(run.output, /\] ready in/);
		holder.stdin!.end();
		assert.equal(await run.result(), 0, run.output);
		assert.match(run.output, /\] ready in/);
	});
});

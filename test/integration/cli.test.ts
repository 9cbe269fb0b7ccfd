import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface RunningCli {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<number | null>;
}

function runCli(args: string[], cwd?: string): RunningCli {
	const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function servingUrl(cli: RunningCli): Promise<string> {
	const match = await waitFor(() => /\((http:\/\/[^)]+)\)/.exec(cli.stdout()), { timeoutMs: 10_000, what: 'the serving line' });
	return match[1]!;
}

async function stop(cli: RunningCli): Promise<number | null> {
	if (cli.child.exitCode === null) cli.child.kill('SIGINT');
	return cli.exited;
}

/** Holds a port so the CLI has to move on (or fail, when the port was explicit). */
function occupy(port: number, host = '127.0.0.1'): Promise<net.Server> {
	return new Promise((resolve, reject) => {
		const blocker = net.createServer();
		blocker.once('error', reject);
		blocker.listen(port, host, () => resolve(blocker));
	});
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

let workspace: TempWorkspace;
before(() => {
	workspace = createTempWorkspace('site');
});
after(() => workspace.remove());

describe('live-dev-server CLI', () => {
	it('serves --directory on the given port, prints the URL and logs requests in http.server form', async () => {
		const port = await freePort();
		const cli = runCli([String(port), '--directory', workspace.root]);
		try {
			const url = await servingUrl(cli);
			assert.equal(url, `http://127.0.0.1:${port}/`);
			assert.match(cli.stdout(), new RegExp(`Serving HTTP on 127\\.0\\.0\\.1 port ${port} `));
			const res = await request(`${url}notes.txt`);
			assert.equal(res.text, 'plain text file\n');
			const line = await waitFor(() => cli.stderr().split('\n').find((l) => l.includes('"GET /notes.txt HTTP/1.1"')), { what: 'access log line' });
			assert.match(line, /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/notes\.txt HTTP\/1\.1" 200 16 \d+\.\dms$/);
		} finally {
			assert.equal(await stop(cli), 0, 'Ctrl-C exits cleanly');
		}
		assert.match(cli.stdout(), /Keyboard interrupt received, exiting\./);
	});

	it('serves the current folder by default and prints headers with --log-headers', async () => {
		const cli = runCli(['0', '--log-headers'], workspace.root);
		try {
			const url = await servingUrl(cli);
			assert.equal((await request(`${url}data.json`, { headers: { Cookie: 'a=secret' } })).status, 200);
			await waitFor(() => cli.stderr().includes('< content-type: application/json; charset=utf-8'), { what: 'response header lines' });
			assert.match(cli.stderr(), /> cookie: \[redacted\]/);
		} finally {
			await stop(cli);
		}
	});

	it('stops cleanly on Ctrl-C when its output pipe was closed (| head -1)', async () => {
		const cli = runCli(['0', '--directory', workspace.root]);
		await waitFor(() => cli.stdout().includes('Press Ctrl+C to stop.'), { timeoutMs: 10_000, what: 'the ready line' });
		// The reader goes away, as head does after its line: every later write to stdout fails with EPIPE.
		cli.child.stdout!.destroy();
		assert.equal(await stop(cli), 0);
		assert.doesNotMatch(cli.stderr(), /EPIPE|Error|at /);
	});

	it('fails with a clear message when an explicitly chosen port is busy', async () => {
		const busy = await freePort();
		const blocker = await occupy(busy);
		const cli = runCli([String(busy), '--directory', workspace.root]);
		try {
			assert.equal(await cli.exited, 1);
			assert.match(cli.stderr(), new RegExp(`Port ${busy} is already in use on 127\\.0\\.0\\.1\\. Choose another port`));
		} finally {
			blocker.close();
		}
	});

	it('takes the next free port after the default when it is busy', async () => {
		let blocker: net.Server | undefined;
		try {
			blocker = await occupy(5500);
		} catch {
			// 5500 is already taken on this machine: the fallback is exercised just the same.
		}
		const cli = runCli(['--directory', workspace.root]);
		try {
			const url = await servingUrl(cli);
			const port = Number(new URL(url).port);
			assert.ok(port > 5500 && port <= 5520, `took ${port}`);
			assert.match(cli.stdout(), new RegExp(`Port 5500 is in use, using port ${port} instead\\.`));
			assert.equal((await request(`${url}notes.txt`)).status, 200);
		} finally {
			await stop(cli);
			blocker?.close();
		}
	});

	it('binds IPv6 loopback with --bind ::1', async () => {
		const cli = runCli(['0', '--bind', '::1', '--directory', workspace.root]);
		try {
			const url = await servingUrl(cli);
			assert.match(url, /^http:\/\/\[::1\]:\d+\/$/);
			assert.equal((await request(`${url}notes.txt`)).status, 200);
		} finally {
			await stop(cli);
		}
	});

	it('exits with 2 and a clear message on bad arguments', async () => {
		const cases: [string[], RegExp][] = [
			[['notaport'], /error: Invalid port "notaport"/],
			[['--bogus'], /error: Unknown option '--bogus'/],
			[['0', '--directory', path.join(workspace.root, 'does-not-exist')], /error: The directory .* does not exist\./],
			[['0', '--directory', path.join(workspace.root, 'notes.txt')], /is not a directory/],
			[['0', '--bind', '999.1.1.1', '--directory', workspace.root], /error: Invalid bind address "999\.1\.1\.1"/],
		];
		for (const [args, message] of cases) {
			const cli = runCli(args);
			assert.equal(await cli.exited, 2, args.join(' '));
			assert.match(cli.stderr(), message);
		}
	});

	it('explains a bind address that is not on this machine', async () => {
		const cli = runCli(['0', '--bind', '203.0.113.7', '--directory', workspace.root]);
		assert.equal(await cli.exited, 1);
		assert.match(cli.stderr(), /Cannot bind to 203\.0\.113\.7: no network interface has that address\./);
	});

	it('prints help and version', async () => {
		const help = runCli(['--help']);
		assert.equal(await help.exited, 0);
		assert.match(help.stdout(), /Usage: live-dev-server \[port\] \[options\]/);
		const version = runCli(['--version']);
		assert.equal(await version.exited, 0);
		assert.match(version.stdout(), /^live-dev-server \d+\.\d+\.\d+/);
	});
});

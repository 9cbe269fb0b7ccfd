import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createSelfSignedCertificate, LOCALHOST_NAMES } from '../../server-core/https/selfSignedCertificate';
import { httpsRequest } from '../helpers/httpsRequest';
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

let workspace: TempWorkspace;
let cacheHome: string;

before(() => {
	workspace = createTempWorkspace('site');
	cacheHome = fs.mkdtempSync(path.join(workspace.root, '..', 'lds-cache-'));
});

after(() => {
	workspace.remove();
	fs.rmSync(cacheHome, { recursive: true, force: true });
});

function runCli(args: string[]): RunningCli {
	const child = spawn(process.execPath, [CLI, '0', ...args], {
		cwd: workspace.root,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome },
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function servingUrl(cli: RunningCli): Promise<string> {
	const match = await waitFor(() => /\((https?:\/\/[^)]+)\)/.exec(cli.stdout()), { timeoutMs: 10_000, what: 'the serving line' });
	return match[1]!;
}

/** Everything printed at start-up: the lines after the serving line may come in a later chunk. */
async function startupOutput(cli: RunningCli): Promise<string> {
	await waitFor(() => cli.stdout().includes('Press Ctrl+C to stop.'), { timeoutMs: 10_000, what: 'the end of the start-up lines' });
	return cli.stdout();
}

async function stop(cli: RunningCli): Promise<number | null> {
	if (cli.child.exitCode === null) cli.child.kill('SIGINT');
	return cli.exited;
}

describe('CLI extras', () => {
	it('--https serves HTTPS with a certificate kept in the user cache folder', async () => {
		const cli = runCli(['--https']);
		try {
			const url = await servingUrl(cli);
			assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
			assert.match(await startupOutput(cli), /Serving HTTPS on 127\.0\.0\.1/);
			const certFile = path.join(cacheHome, 'live-dev-server', 'localhost-cert.pem');
			assert.match(cli.stdout(), new RegExp(`HTTPS: new self-signed certificate ${certFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
			const res = await httpsRequest(`${url}notes.txt`, fs.readFileSync(certFile, 'utf8'));
			assert.equal(res.status, 200);
		} finally {
			assert.equal(await stop(cli), 0);
		}
	});

	const usageErrors: [string[], RegExp][] = [
		[['--cert', 'missing.pem', '--key', 'missing-key.pem'], /Cannot read the HTTPS certificate file .*missing\.pem: no such file/],
		[['--mount', '/lib=does-not-exist'], /The folder .*does-not-exist to serve under \/lib does not exist/],
		[['--proxy', '/api=localhost:3000'], /Invalid proxy target "localhost:3000"/],
		[['--cors', 'localhost:3000'], /Invalid CORS origin/],
		[['--header', '*.js: Content-Length: 5'], /managed by the server/],
		[['--header', 'X-Name: café ☕', '--header', 'X-Other: yes'], /X-Name for \*\* contains "☕".*--header/],
		[['--proxy', 'api'], /Invalid --proxy "api"/],
		[['--spa=nope.html'], /The SPA fallback file .*nope\.html does not exist/],
	];
	for (const [args, message] of usageErrors) {
		it(`exits with 2 and a clear message for ${args.join(' ')}`, async () => {
			const cli = runCli(args);
			assert.equal(await cli.exited, 2);
			assert.match(cli.stderr(), message);
			assert.doesNotMatch(cli.stdout(), /Serving HTTP/, 'never falls back to serving anything');
		});
	}

	it('warns at start-up about a user certificate browsers will refuse (expired), and still serves', async () => {
		const pair = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 1, now: new Date(Date.now() - 10 * 24 * 60 * 60 * 1000) });
		workspace.write('expired-cert.pem', pair.cert);
		workspace.write('expired-key.pem', pair.key);
		const cli = runCli(['--cert', 'expired-cert.pem', '--key', 'expired-key.pem']);
		try {
			assert.match(await startupOutput(cli), /Warning: The HTTPS certificate .*expired-cert\.pem expired on \d{4}-\d\d-\d\d: browsers will refuse it/);
		} finally {
			await stop(cli);
		}
	});

	it('prints the configured proxy, mounts, CGI, SPA and CORS at start-up', async () => {
		workspace.write('lib/x.js', 'x');
		const cli = runCli(['--proxy', '/api=http://127.0.0.1:9', '--mount', '/lib=lib', '--cgi', '--spa', '--cors', 'http://localhost:3000']);
		try {
			const out = await startupOutput(cli);
			assert.match(out, /Proxy: \/api\/\* -> http:\/\/127\.0\.0\.1:9/);
			assert.match(out, new RegExp(`Mount: /lib/ -> ${path.join(workspace.root, 'lib').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
			assert.match(out, /CGI: scripts in \/cgi-bin run/);
			assert.match(out, /SPA fallback: unknown pages get \/index\.html/);
			assert.match(out, /CORS: http:\/\/localhost:3000/);
		} finally {
			await stop(cli);
		}
	});

	it('--console prints what pages send, with their URL', async () => {
		const cli = runCli(['--console']);
		try {
			const url = await servingUrl(cli);
			const page = await request(`${url}index.html`);
			const match = /__live\/client\.js\?t=([0-9a-f]+)&amp;console=1"><\/script>/.exec(page.text);
			assert.ok(match, 'the injected client is told to relay, and loads synchronously (not async) to see the page load');
			const socket = new WebSocket(`${url.replace(/^http/, 'ws')}__live/ws/${match[1]}`);
			await new Promise<void>((resolve, reject) => {
				socket.once('open', () => resolve());
				socket.once('error', reject);
			});
			// Escape sequences from the page would act on the terminal (clear it, retitle it): they are removed.
			socket.send(JSON.stringify({ type: 'console', level: 'error', text: '\x1b[2J\x1b]0;owned\x07Uncaught TypeError: x is undefined\n    at app.js:3', url: `${url}index.html` }));
			await waitFor(() => cli.stderr().includes('[browser] error'), { what: 'the relayed message' });
			assert.match(cli.stderr(), new RegExp(`\\[browser\\] error ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}index\\.html: \\[2J\\]0;ownedUncaught TypeError: x is undefined\\n {4}    at app\\.js:3`));
			assert.doesNotMatch(cli.stderr(), /[\x1b\x07]/, 'no control characters reach the terminal (NO_COLOR is set)');
			socket.close();
		} finally {
			await stop(cli);
		}
	});
});

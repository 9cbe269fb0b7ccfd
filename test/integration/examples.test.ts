import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/httpRequest';
import { REPO_ROOT } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

interface Cli {
	child: ChildProcess;
	base: string;
	output: () => string;
}

/** The real CLI, as `npm start` runs it, on any free port. */
async function startCli(args: string[]): Promise<Cli> {
	const child = spawn(process.execPath, [CLI, '0', '--directory', EXAMPLES, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
	const match = await waitFor(() => /\((http:\/\/[^)]+)\/\)/.exec(output), { timeoutMs: 10_000, what: 'the serving line' });
	return { child, base: match[1]!, output: () => output };
}

async function stopCli(cli: Cli | undefined): Promise<void> {
	if (cli === undefined || cli.child.exitCode !== null) return;
	const exited = new Promise((resolve) => cli.child.once('exit', resolve));
	cli.child.kill('SIGINT');
	await exited;
}

describe('examples with handlers (npm start)', () => {
	let cli: Cli;
	before(async () => {
		const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
		assert.match(scripts['start']!, /--directory examples --handlers\b/, 'npm start enables handlers for the examples');
		cli = await startCli(['--handlers']);
	});
	after(() => stopCli(cli));

	it('links the handler examples from the home page', async () => {
		const home = await request(`${cli.base}/`);
		for (const link of ['href="api/time"', 'href="api/users/1"', 'href="form.html"']) assert.ok(home.text.includes(link), link);
		assert.match(cli.output(), /Handlers: \/api\/\* runs files from/);
	});

	it('shows the current server time from a handler', async () => {
		const before = Date.now();
		const res = await request(`${cli.base}/api/time?zone=UTC`);
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
		const iso = /<time datetime="([^"]+)">/.exec(res.text)?.[1];
		assert.ok(iso !== undefined, 'a <time> element');
		const shown = Date.parse(iso);
		assert.ok(shown >= before - 1000 && shown <= Date.now() + 1000, `server time ${iso} is now`);
		assert.match(res.text, /Answered by <code>\/api\/time<\/code>/);
	});

	it('serves a JSON API with a route param', async () => {
		const ada = await request(`${cli.base}/api/users/1`);
		assert.deepEqual([ada.status, JSON.parse(ada.text)], [200, { id: '1', name: 'Ada Lovelace', role: 'analyst' }]);
		const missing = await request(`${cli.base}/api/users/42`);
		assert.deepEqual([missing.status, JSON.parse(missing.text)], [404, { error: 'No user with id "42"' }]);
	});

	it('handles the form POST', async () => {
		const form = await request(`${cli.base}/form.html`);
		assert.match(form.text, /<form method="post" action="\/api\/greet"/);
		const res = await request(`${cli.base}/api/greet`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'name=%3Cb%3EAda%3C%2Fb%3E&color=green',
		});
		assert.equal(res.status, 200);
		assert.match(res.text, /Hello, <strong>&lt;b&gt;Ada&lt;\/b&gt;<\/strong>! Your favourite colour is green\./);
		const empty = await request(`${cli.base}/api/greet`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=' });
		assert.equal(empty.status, 422);
		const get = await request(`${cli.base}/api/greet`);
		assert.deepEqual([get.status, get.headers.allow], [405, 'POST, OPTIONS']);
	});

	it('hides the handler sources', async () => {
		for (const [urlPath, file] of [['/api/time.ts', 'api/time.ts'], ['/api/_layout.ts', 'api/_layout.ts'], ['/api/users/%5Bid%5D.ts', 'api/users/[id].ts']]) {
			// The first line of each source is a comment found nowhere else: it would be in a leaked source.
			const firstLine = fs.readFileSync(path.join(EXAMPLES, file), 'utf8').split('\n')[0]!;
			assert.ok(firstLine.length > 20, `${file} starts with a distinctive line`);
			const res = await request(`${cli.base}${urlPath}`);
			assert.equal(res.status, 404, urlPath);
			assert.ok(!res.text.includes(firstLine), `${urlPath} does not show its source`);
		}
	});
});

describe('examples without --handlers', () => {
	let cli: Cli | undefined;
	after(() => stopCli(cli));

	it('runs no handler: the sources are plain files', async () => {
		cli = await startCli([]);
		assert.equal((await request(`${cli.base}/api/time`)).status, 404);
		assert.match((await request(`${cli.base}/api/time.ts`)).text, /export function GET/);
		assert.doesNotMatch(cli.output(), /Handlers:/);
	});
});

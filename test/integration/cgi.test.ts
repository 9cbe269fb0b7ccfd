import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;

function script(name: string, text: string, mode = 0o755): void {
	const file = workspace.write(name, text);
	fs.chmodSync(file, mode);
}

before(async () => {
	workspace = createTempWorkspace('site');
	script('cgi-bin/env.sh', `#!/bin/sh
printf 'Content-Type: text/plain\\n\\n'
for name in GATEWAY_INTERFACE SERVER_SOFTWARE SERVER_NAME SERVER_PORT SERVER_PROTOCOL REQUEST_METHOD SCRIPT_NAME PATH_INFO PATH_TRANSLATED \\
	QUERY_STRING REMOTE_ADDR CONTENT_TYPE CONTENT_LENGTH REDIRECT_STATUS SCRIPT_FILENAME HTTP_X_TEST HTTP_PROXY; do
	eval "printf '%s=%s\\n' $name \\"\\$$name\\""
done
printf 'args=%s\\n' "$#"
printf 'cwd=%s\\n' "$(pwd)"
printf 'body='
cat
`);
	script('cgi-bin/app.js', `#!/usr/bin/env node
let body = '';
process.stdin.on('data', (chunk) => (body += chunk));
process.stdin.on('end', () => {
	process.stdout.write('Status: 201 Created\\r\\nContent-Type: application/json\\r\\nSet-Cookie: a=1\\r\\nSet-Cookie: b=2\\r\\n\\r\\n');
	process.stdout.write(JSON.stringify({ method: process.env.REQUEST_METHOD, length: body.length, type: process.env.CONTENT_TYPE }));
});
`);
	script('cgi-bin/redirect.sh', `#!/bin/sh\nprintf 'Location: https://example.com/elsewhere\\n\\n'\n`);
	script('cgi-bin/local.sh', `#!/bin/sh\nprintf 'Location: /notes.txt\\n\\n'\n`);
	script('cgi-bin/local-cgi.sh', `#!/bin/sh\nprintf 'Location: /cgi-bin/env.sh\\n\\n'\n`);
	script('cgi-bin/exact.sh', `#!/bin/sh\n# Reads exactly CONTENT_LENGTH bytes, as php-cgi does (no EOF needed).\nprintf 'Content-Type: text/plain\\n\\nlength=%s body=' "$CONTENT_LENGTH"\nhead -c "\${CONTENT_LENGTH:-0}"\n`);
	script('cgi-bin/upload.sh', `#!/bin/sh\ntouch "$DOCUMENT_ROOT/upload.ran"\nprintf 'Content-Type: text/plain\\n\\nran'\n`);
	script('cgi-bin/loop.sh', `#!/bin/sh\nprintf 'Location: /cgi-bin/loop.sh\\n\\n'\n`);
	script('cgi-bin/see-other.sh', `#!/bin/sh\nprintf 'Status: 303 See Other\\nLocation: /done.html\\n\\n'\n`);
	script('cgi-bin/fail.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\npartial'\necho 'database password is hunter2' >&2\nprintf '\\033[2J\\033]0;owned\\007cleared\\n' >&2\nexit 3\n`);
	script('cgi-bin/malformed.sh', `#!/bin/sh\necho 'this is not a header'\necho\necho body\n`);
	script('cgi-bin/noend.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\n'\n`);
	script('cgi-bin/html.sh', `#!/bin/sh\nprintf 'Content-Type: text/html\\n\\n<!DOCTYPE html><html><head><title>cgi</title></head><body>cgi page</body></html>'\n`);
	script('cgi-bin/slow.sh', `#!/bin/sh\nsleep 30 &\necho $! > "$DOCUMENT_ROOT/child.pid"\nsleep 30\n`);
	script('cgi-bin/missing-interpreter.sh', `#!/nonexistent/interpreter\n`);
	script('cgi-bin/not-executable.sh', `#!/bin/sh\necho SOURCE-OF-NOT-EXECUTABLE\n`, 0o644);
	script('cgi-bin/mapped.mjs', `process.stdout.write('Content-Type: text/plain\\n\\nmapped ' + process.env.SCRIPT_NAME);\n`, 0o644);
	script('cgi-bin/args.cjs', `process.stdout.write('Content-Type: text/plain\\n\\n' + JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(1) }));\n`, 0o644);
	script('cgi-bin/.hidden.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhidden'\n`);
	script('cgi-bin/sub/deep.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\ndeep %s' "$PATH_INFO"\n`);
	workspace.write('done.html', '<p>done</p>');
	server = await startSession(workspace.root, {
		cgi: { enabled: true, dirs: ['/cgi-bin'], timeoutMs: 2000, interpreters: { '.mjs': process.execPath, '.cjs': `"${process.execPath}" --no-deprecation --stack-size=900` } },
	});
});

after(async () => {
	await server?.close();
	workspace?.remove();
});

const lastLog = (path: string) => waitFor(() => [...server.logs].reverse().find((entry) => entry.path === path), { what: `a log entry for ${path}` });
const envOf = (text: string) => Object.fromEntries(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('CGI scripts', () => {
	it('run a shell script with the RFC 3875 variables, the body on stdin and no arguments', async () => {
		const res = await request(`${server.base}/cgi-bin/env.sh/extra/path?name=a+b&x=%20`, {
			method: 'POST', body: 'hello=world', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Test': 'yes', Proxy: 'http://evil.example:8080' },
		});
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-type'], 'text/plain');
		const env = envOf(res.text);
		assert.equal(env.GATEWAY_INTERFACE, 'CGI/1.1');
		assert.match(env.SERVER_SOFTWARE!, /^LiveDevServer\//);
		assert.equal(env.SERVER_NAME, '127.0.0.1');
		assert.equal(env.SERVER_PORT, String(server.port));
		assert.equal(env.SERVER_PROTOCOL, 'HTTP/1.1');
		assert.equal(env.REQUEST_METHOD, 'POST');
		assert.equal(env.SCRIPT_NAME, '/cgi-bin/env.sh');
		assert.equal(env.PATH_INFO, '/extra/path');
		assert.equal(env.PATH_TRANSLATED, path.join(workspace.root, 'extra', 'path'));
		assert.equal(env.QUERY_STRING, 'name=a+b&x=%20');
		assert.equal(env.REMOTE_ADDR, '127.0.0.1');
		assert.equal(env.CONTENT_TYPE, 'application/x-www-form-urlencoded');
		assert.equal(env.CONTENT_LENGTH, '11');
		assert.equal(env.REDIRECT_STATUS, '200');
		assert.equal(env.SCRIPT_FILENAME, path.join(workspace.root, 'cgi-bin', 'env.sh'));
		assert.equal(env.HTTP_X_TEST, 'yes');
		assert.equal(env.HTTP_PROXY, '', 'the Proxy header never becomes HTTP_PROXY (httpoxy)');
		assert.equal(env.args, '0', 'the query string is never passed as arguments');
		assert.equal(env.cwd, path.join(workspace.root, 'cgi-bin'));
		assert.equal(env.body, 'hello=world');
		const entry = await lastLog('/cgi-bin/env.sh/extra/path?name=a+b&x=%20');
		assert.equal(entry.source, 'cgi');
		assert.equal(entry.status, 200);
	});

	it('run a node script by its #! line, honouring Status and repeated headers', async () => {
		const body = 'x'.repeat(200_000);
		const res = await request(`${server.base}/cgi-bin/app.js`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
		assert.equal(res.status, 201);
		assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
		assert.deepEqual(JSON.parse(res.text), { method: 'POST', length: 200_000, type: 'text/plain' });
		assert.equal(Number(res.headers['content-length']), res.body.length);
	});

	it('run files through a mapped interpreter (no executable bit needed)', async () => {
		const res = await request(`${server.base}/cgi-bin/mapped.mjs`);
		assert.equal(res.status, 200);
		assert.equal(res.text, 'mapped /cgi-bin/mapped.mjs');
	});

	it('run an interpreter mapped with arguments (no shell: split on spaces, quotes keep a path with spaces whole)', async () => {
		const res = await request(`${server.base}/cgi-bin/args.cjs?x=1`);
		assert.equal(res.status, 200, (await lastLog('/cgi-bin/args.cjs?x=1')).error);
		assert.deepEqual(JSON.parse(res.text), { execArgv: ['--no-deprecation', '--stack-size=900'], argv: [path.join(workspace.root, 'cgi-bin', 'args.cjs')] });
	});

	it('find scripts in subfolders and pass the rest as PATH_INFO', async () => {
		assert.equal((await request(`${server.base}/cgi-bin/sub/deep.sh/a/b`)).text, 'deep /a/b');
	});

	it('answer HEAD without a body', async () => {
		const res = await request(`${server.base}/cgi-bin/env.sh`, { method: 'HEAD' });
		assert.equal(res.status, 200);
		assert.equal(res.body.length, 0);
	});

	it('redirect the browser for a Location with a URL (302) or with an explicit Status', async () => {
		const client = await request(`${server.base}/cgi-bin/redirect.sh`);
		assert.equal(client.status, 302);
		assert.equal(client.headers.location, 'https://example.com/elsewhere');
		const seeOther = await request(`${server.base}/cgi-bin/see-other.sh`);
		assert.equal(seeOther.status, 303);
		assert.equal(seeOther.headers.location, '/done.html');
	});

	it('answer a local Location (a path, no Status) with that path, as the RFC says', async () => {
		const res = await request(`${server.base}/cgi-bin/local.sh`, { method: 'POST', body: 'x' });
		assert.equal(res.status, 200);
		assert.equal(res.text, 'plain text file\n');
		assert.equal(res.headers.location, undefined);
		const looping = await request(`${server.base}/cgi-bin/loop.sh`);
		assert.equal(looping.status, 502);
		assert.match((await lastLog('/cgi-bin/loop.sh')).error ?? '', /more than 5 local redirects/);
	});

	it('follow a local redirect to another script with a GET without the original body', async () => {
		const res = await request(`${server.base}/cgi-bin/local-cgi.sh`, { method: 'POST', body: 'secret=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		assert.equal(res.status, 200);
		const env = envOf(res.text);
		assert.equal(env.REQUEST_METHOD, 'GET');
		assert.equal(env.CONTENT_LENGTH, '');
		assert.equal(env.CONTENT_TYPE, '');
		assert.equal(env.body, '');
	});

	it('give a chunked request body a CONTENT_LENGTH (RFC 3875 §4.1.2), for scripts that read exactly that much', async () => {
		const res = await chunkedPost(`${server.base}/cgi-bin/exact.sh`, ['part one;', 'part two'], { timeoutMs: 5000 });
		assert.equal(res.status, 200);
		assert.equal(res.text, 'length=17 body=part one;part two');
		const empty = await chunkedPost(`${server.base}/cgi-bin/exact.sh`, [], { timeoutMs: 5000 });
		assert.equal(empty.text, 'length=0 body=');
	});

	it('answer 413 for a chunked body over 16 MiB, without running the script', async () => {
		const res = await chunkedPost(`${server.base}/cgi-bin/upload.sh`, Array.from({ length: 17 }, () => Buffer.alloc(1024 * 1024, 'a')), { timeoutMs: 10_000 });
		assert.equal(res.status, 413);
		assert.equal(res.headers.connection, 'close');
		assert.match((await lastLog('/cgi-bin/upload.sh')).error ?? '', /chunked request body.*16 MiB/);
		assert.equal(fs.existsSync(path.join(workspace.root, 'upload.ran')), false);
	});

	it('inject the live-reload script into HTML output', async () => {
		const res = await request(`${server.base}/cgi-bin/html.sh`);
		assert.match(res.text, /cgi page/);
		assert.match(res.text, /__live\/client\.js\?t=/);
	});
});

describe('CGI failures', () => {
	it('answer 502 for a non-zero exit, with stderr in the log and never in the response', async () => {
		const res = await request(`${server.base}/cgi-bin/fail.sh`);
		assert.equal(res.status, 502);
		assert.doesNotMatch(res.text, /hunter2/);
		assert.doesNotMatch(res.text, /partial/);
		const entry = await lastLog('/cgi-bin/fail.sh');
		assert.match(entry.error ?? '', /exited with code 3/);
		assert.match(entry.error ?? '', /database password is hunter2/);
		assert.match(entry.error ?? '', /\[2J\]0;ownedcleared/);
		assert.doesNotMatch(entry.error ?? '', /[\x1b\x07]/, 'no terminal escapes from stderr reach the log');
	});

	it('answer 502 for malformed or unfinished headers', async () => {
		const malformed = await request(`${server.base}/cgi-bin/malformed.sh`);
		assert.equal(malformed.status, 502);
		assert.match((await lastLog('/cgi-bin/malformed.sh')).error ?? '', /malformed response.*without "name:"/);
		assert.equal((await request(`${server.base}/cgi-bin/noend.sh`)).status, 502);
		assert.match((await lastLog('/cgi-bin/noend.sh')).error ?? '', /ended before the empty line/);
	});

	it('answer 502 when the interpreter is missing', async () => {
		assert.equal((await request(`${server.base}/cgi-bin/missing-interpreter.sh`)).status, 502);
		assert.match((await lastLog('/cgi-bin/missing-interpreter.sh')).error ?? '', /could not be started/);
	});

	it('kill a script (and the processes it started) at the timeout, answering 504', async () => {
		const res = await request(`${server.base}/cgi-bin/slow.sh`);
		assert.equal(res.status, 504);
		assert.match((await lastLog('/cgi-bin/slow.sh')).error ?? '', /timed out after 2000 ms/);
		const childPid = Number(fs.readFileSync(path.join(workspace.root, 'child.pid'), 'utf8'));
		await waitFor(() => !isRunning(childPid), { what: `the script's background child ${childPid} to be killed` });
	});
});

describe('CGI access rules', () => {
	it('refuse a file without the executable bit with 403, never showing its source', async () => {
		const res = await request(`${server.base}/cgi-bin/not-executable.sh`);
		assert.equal(res.status, 403);
		assert.doesNotMatch(res.text, /SOURCE-OF-NOT-EXECUTABLE/);
		assert.match(res.text, /not executable/);
	});

	it('never list CGI folders, nor run dotfiles', async () => {
		assert.equal((await request(`${server.base}/cgi-bin/`)).status, 403);
		assert.equal((await request(`${server.base}/cgi-bin/sub/`)).status, 403);
		assert.equal((await request(`${server.base}/cgi-bin/.hidden.sh`)).status, 403);
		assert.equal((await request(`${server.base}/cgi-bin/nothing.sh`)).status, 404);
	});

	const sneaky = ['//cgi-bin/not-executable.sh', '/%63gi-bin/not-executable.sh', '/cgi-bin/./not-executable.sh', '/x/../cgi-bin/not-executable.sh', '/cgi-bin/%2e%2e/cgi-bin/not-executable.sh', '/CGI-BIN/not-executable.sh'];
	for (const target of sneaky) {
		it(`never serve a script's source as a file: ${target}`, async () => {
			const raw = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
			assert.ok([403, 404].includes(rawStatus(raw)), `${target} -> ${rawStatus(raw)}`);
			assert.doesNotMatch(raw.text, /SOURCE-OF-NOT-EXECUTABLE/);
		});
	}

	it('are off by default: without the setting, cgi-bin is a folder of files like any other', async () => {
		const plain = await startSession(workspace.root);
		try {
			const res = await request(`${plain.base}/cgi-bin/env.sh`);
			assert.equal(res.status, 200);
			assert.match(res.text, /^#!\/bin\/sh/);
		} finally {
			await plain.close();
		}
	});
});

/** A POST with Transfer-Encoding: chunked (node:http chunks a body written in parts without a Content-Length). */
function chunkedPost(url: string, parts: (string | Buffer)[], { timeoutMs }: { timeoutMs: number }): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', agent: false, headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`Request to ${url} timed out`)));
		req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
		for (const part of parts) req.write(part);
		req.end();
	});
}

/** A process that has exited but not been reaped yet (a zombie) no longer runs. */
function isRunning(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !/^\d+ \(.*\) [ZX]/.test(stat);
	} catch {
		try {
			process.kill(pid, 0);
			return process.platform !== 'linux';
		} catch {
			return false;
		}
	}
}

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HandlerDiagnosticsEvent, HandlersChangedEvent } from '../../server-core/handlers/handlerHost';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

// Long enough for a crashing worker process to be seen exiting on a busy machine (else a 504 would come first).
const TIMEOUT_MS = 2000;

let workspace: TempWorkspace;
let server: HandlerTestServer;
const changes: HandlersChangedEvent[] = [];
const diagnostics: HandlerDiagnosticsEvent[] = [];

before(async () => {
	workspace = createTempWorkspace('handlers');
	server = await startHandlerSession(workspace.root, { timeoutMs: TIMEOUT_MS, memoryLimitMb: 32 }, {
		onHandlersChanged: (event) => changes.push(event),
		onHandlerDiagnostics: (event) => diagnostics.push(event),
	});
});

after(async () => {
	await server.close();
	workspace.remove();
});

async function assertStaticServed(): Promise<void> {
	const res = await request(`${server.base}/style.css`);
	assert.equal(res.status, 200);
	assert.match(res.text, /teal/);
}

describe('errors', () => {
	it('turns a throw into a 500 page with the message and a source-mapped stack, logged', async () => {
		workspace.write('api/throws.ts', `type Id = number;

function explode(id: Id): never {
	throw new RangeError(\`bad <id> \${id}\`);
}

export function GET(): string {
	return explode(7);
}`);
		const res = await request(`${server.base}/api/throws`);
		assert.equal(res.status, 500);
		assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
		assert.match(res.text, /RangeError: bad &lt;id&gt; 7/, 'message, HTML-escaped');
		assert.match(res.text, /at explode \(api\/throws\.ts:4:8\)/, 'stack points at the .ts line, not the compiled file');
		assert.match(res.text, /at (Object\.)?GET \(api\/throws\.ts:8:9\)/);
		assert.doesNotMatch(res.text, /handlerWorker|node:internal/, 'only user frames');
		assert.match(res.text, /throw new RangeError/, 'source excerpt');
		const entry = server.logs.at(-1)!;
		assert.deepEqual([entry.status, entry.source, entry.error], [500, 'handler', 'RangeError: bad <id> 7']);
		await assertStaticServed();
	});

	it('reports top-level errors and modules without handlers', async () => {
		workspace.write('api/top-level.ts', 'throw new Error("at import");\nexport const GET = () => "never";');
		const top = await request(`${server.base}/api/top-level`);
		assert.equal(top.status, 500);
		assert.match(top.text, /Error: at import/);
		assert.match(top.text, /failed while loading/);
		workspace.write('api/no-handler.ts', 'export const value = 1;');
		assert.match((await request(`${server.base}/api/no-handler`)).text, /exports no handler/);
	});

	it('shows esbuild diagnostics for a compile error, then recovers once the file is fixed', async () => {
		const file = workspace.write('api/broken.ts', 'export function GET() {\n\treturn "ok" +;\n}\n');
		const broken = await request(`${server.base}/api/broken`);
		assert.equal(broken.status, 500);
		assert.match(broken.text, /Compile errors/);
		assert.match(broken.text, /api\/broken\.ts:2:\d+/);
		assert.match(broken.text, /Unexpected &quot;;&quot;/);
		assert.match(server.logs.at(-1)!.error ?? '', /^Compile error: Unexpected ";"/);
		const reported = diagnostics.flatMap((event) => event.files).find((entry) => entry.file === file);
		assert.ok(reported && reported.diagnostics[0]!.line === 2, 'diagnostics are published for the editor');
		await assertStaticServed();

		workspace.write('api/broken.ts', 'export function GET() {\n\treturn "fixed";\n}\n');
		const fixed = await request(`${server.base}/api/broken`);
		assert.deepEqual([fixed.status, fixed.text], [200, 'fixed']);
		const cleared = diagnostics.at(-1)!.files.find((entry) => entry.file === file);
		assert.deepEqual(cleared?.diagnostics, [], 'and cleared once it compiles');
	});

	it('reports an unresolvable import as a compile error', async () => {
		workspace.write('api/missing-import.ts', 'import { x } from "not-installed-anywhere";\nexport const GET = () => x;');
		const res = await request(`${server.base}/api/missing-import`);
		assert.equal(res.status, 500);
		assert.match(res.text, /Could not resolve &quot;not-installed-anywhere&quot;/);
	});
});

describe('timeouts and crashes', () => {
	it('answers 504 for a hanging handler while static files keep being served, then replaces the worker', async () => {
		const marker = path.join(workspace.root, 'spinning.txt');
		workspace.write('api/spin.ts', `import { writeFileSync } from 'node:fs';
export function GET() { writeFileSync(${JSON.stringify(marker)}, 'yes'); for (;;) {} }`);
		workspace.write('api/ok.ts', 'export const GET = () => "ok";');
		assert.equal((await request(`${server.base}/api/ok`)).text, 'ok');
		const hanging = request(`${server.base}/api/spin`);
		let hangDone = false;
		void hanging.finally(() => (hangDone = true));
		// Once the handler is in its busy loop (it said so), the server still answers static files at once.
		await waitFor(() => fs.existsSync(marker), { what: 'the handler to start looping' });
		await assertStaticServed();
		assert.equal(hangDone, false, 'static file answered while the handler was looping, before it timed out');
		const res = await hanging;
		assert.equal(res.status, 504);
		assert.match(res.text, /did not respond within 2 s/);
		assert.match(server.logs.find((entry) => entry.path === '/api/spin')!.error ?? '', /did not respond within 2000 ms/);
		assert.equal((await request(`${server.base}/api/ok`)).text, 'ok', 'the next request runs in a fresh worker');
	});

	it('also times out handlers that await forever', async () => {
		workspace.write('api/never.ts', 'export const GET = () => new Promise(() => {});');
		assert.equal((await request(`${server.base}/api/never`)).status, 504);
		assert.equal((await request(`${server.base}/api/ok`)).status, 200);
	});

	it('keeps the server alive when a handler calls process.exit', async () => {
		workspace.write('api/exit.ts', 'export function GET() { process.exit(3); }');
		const res = await request(`${server.base}/api/exit`);
		assert.equal(res.status, 500);
		assert.match(res.text, /process\.exit\(3\) was called by handler code/);
		assert.match(res.text, /api\/exit\.ts:1/);
		assert.equal((await request(`${server.base}/api/ok`)).text, 'ok');
		await assertStaticServed();
	});

	it('restarts the worker after an uncaught exception crashes it', async () => {
		workspace.write('api/crash.ts', 'export function GET() {\n\tsetTimeout(() => { throw new Error("async boom"); }, 0);\n\treturn new Promise(() => {});\n}');
		const res = await request(`${server.base}/api/crash`);
		assert.equal(res.status, 500);
		assert.match(res.text, /worker stopped: it crashed: Error: async boom/);
		assert.match(res.text, /api\/crash\.ts:2/, 'with the stack of the crash');
		assert.ok(server.messages.some((message) => /async boom/.test(message)), 'and the server log says so');
		assert.equal((await request(`${server.base}/api/ok`)).text, 'ok');
	});

	it('restarts the worker after a handler exhausts its memory', async () => {
		workspace.write('api/hog.ts', 'export function GET() {\n\tconst hog: number[][] = [];\n\tfor (;;) hog.push(new Array(1_000_000).fill(1));\n}');
		// Its own session: filling the heap and V8's report take longer than this file's short timeout on a busy machine.
		const roomy = await startHandlerSession(workspace.root, { timeoutMs: 20_000, memoryLimitMb: 32 });
		try {
			const res = await request(`${roomy.base}/api/hog`, { timeoutMs: 25_000 });
			assert.equal(res.status, 500);
			assert.match(res.text, /ran out of memory \(limit 32 MB\)/);
			assert.ok(roomy.messages.some((message) => /ran out of memory/.test(message)), 'and the server log says so');
			assert.equal((await request(`${roomy.base}/api/ok`)).text, 'ok');
			assert.equal((await request(`${roomy.base}/style.css`)).status, 200);
		} finally {
			await roomy.close();
		}
	});
});

describe('hot reload', () => {
	it('runs the new code on the very next request after each save, helpers included', async () => {
		workspace.write('api/_version.ts', 'export const suffix = "";');
		for (let version = 1; version <= 4; version++) {
			workspace.write('api/counter.ts', `import { suffix } from './_version';\nexport const GET = () => "v${version}" + suffix;`);
			assert.equal((await request(`${server.base}/api/counter`)).text, `v${version}`, `edit ${version}`);
		}
		workspace.write('api/_version.ts', 'export const suffix = "+helper";');
		assert.equal((await request(`${server.base}/api/counter`)).text, 'v4+helper');
	});

	it('starts a fresh module state with each new generation, and keeps it across unchanged requests', async () => {
		workspace.write('api/state.ts', 'let hits = 0;\nexport const GET = () => ({ hits: ++hits, v: 1 });');
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/state`)).text), { hits: 1, v: 1 });
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/state`)).text), { hits: 2, v: 1 });
		workspace.write('api/state.ts', 'let hits = 0;\nexport const GET = () => ({ hits: ++hits, v: 2 });');
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/state`)).text), { hits: 1, v: 2 });
	});

	it('reports handler changes through invalidate() for live reload, and ignores unrelated files', async () => {
		const handler = workspace.write('api/watched.ts', 'export const GET = () => "one";');
		assert.equal((await request(`${server.base}/api/watched`)).text, 'one');
		const before = changes.length;
		server.session.handlers!.invalidate([{ path: workspace.write('index.html', '<p>unrelated</p>'), kind: 'changed' }]);
		workspace.write('api/watched.ts', 'export const GET = () => "two";');
		server.session.handlers!.invalidate([{ path: handler, kind: 'changed' }]);
		const event = await waitFor(() => changes.slice(before).find((change) => change.files.includes(handler)), { what: 'onHandlersChanged' });
		assert.deepEqual(event.files, [handler]);
		assert.equal(changes.length, before + 1, 'the unrelated file fired nothing');
		assert.equal((await request(`${server.base}/api/watched`)).text, 'two');
	});
});

describe('lifecycle', () => {
	it('closes promptly while a handler is still waiting, answering it', async () => {
		const own = createTempWorkspace('handlers');
		const marker = own.write('started.txt', '');
		own.write('api/wait.ts', `import { writeFileSync } from 'node:fs';
export async function GET() { writeFileSync(${JSON.stringify(marker)}, 'yes'); await new Promise(() => {}); }`);
		const session = await startHandlerSession(own.root, { timeoutMs: 60_000 });
		try {
			const pending = request(`${session.base}/api/wait`).then((res) => res.status, () => 'connection closed');
			await waitFor(() => fs.readFileSync(marker, 'utf8') === 'yes', { what: 'the handler to start' });
			const started = Date.now();
			await session.close();
			assert.ok(Date.now() - started < 5000, 'did not wait for the 60 s handler timeout');
			assert.ok([500, 'connection closed'].includes(await pending));
		} finally {
			own.remove();
		}
	});

	it('reports a worker that cannot start, and keeps serving static files', async () => {
		const own = createTempWorkspace('handlers');
		const broken = await startHandlerSession(own.root, {}, { handlerWorkerPath: `${own.root}/no-such-worker.js` });
		try {
			const res = await request(`${broken.base}/api/hello`);
			assert.equal(res.status, 500);
			assert.match(res.text, /could not start/);
			assert.equal((await request(`${broken.base}/style.css`)).status, 200);
		} finally {
			await broken.close();
			own.remove();
		}
	});
});

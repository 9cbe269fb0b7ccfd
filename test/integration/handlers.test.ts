import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHandlerHost } from '../../server-core/handlers/handlerSession';
import { DiskFileSource } from '../../server-core/documents/fileSource';
import { createHostPolicy } from '../../server-core/http/hostCheck';
import { createPipeline } from '../../server-core/http/pipeline';
import { StaticFiles } from '../../server-core/http/staticFiles';
import { DEFAULT_HANDLER_SETTINGS } from '../../server-core/protocol/settings';
import { HANDLER_WORKER, startHandlerSession, streamingGet, type HandlerTestServer } from '../helpers/handlerSession';
import { rawRequest, rawStatus, request } from '../helpers/httpRequest';
import { startSession } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: HandlerTestServer;

before(async () => {
	workspace = createTempWorkspace('handlers');
	server = await startHandlerSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('routing', () => {
	it('maps files to routes, with params, index routes and helpers imported', async () => {
		const hello = await request(`${server.base}/api/hello?name=Ada`);
		assert.equal(hello.status, 200);
		assert.equal(hello.headers['content-type'], 'text/html; charset=utf-8');
		assert.match(hello.text, /<p>Hello, Ada!<\/p><p>\/api\/hello<\/p>/);
		assert.equal(Number(hello.headers['content-length']), hello.body.length);

		const user = await request(`${server.base}/api/users/J%C3%BCrgen%2F1`);
		assert.equal(user.status, 200);
		assert.equal(user.headers['content-type'], 'application/json; charset=utf-8');
		assert.deepEqual(JSON.parse(user.text), { id: 'Jürgen/1', method: 'GET', clientAddress: '127.0.0.1', root: workspace.root, mode: 'development' });

		for (const urlPath of ['/api', '/api/']) {
			const index = await request(`${server.base}${urlPath}`);
			assert.deepEqual([index.status, JSON.parse(index.text)], [200, { index: true }], urlPath);
		}
	});

	it('lets handlers win over static files on the same path', async () => {
		for (const urlPath of ['/api/hello', '/api/hello/']) {
			const res = await request(`${server.base}${urlPath}`);
			assert.match(res.text, /Hello, world!/, urlPath);
		}
		const log = server.logs.filter((entry) => entry.path.startsWith('/api/hello'));
		assert.ok(log.length > 0 && log.every((entry) => entry.source === 'handler'));
	});

	it('never serves handler sources, whatever the spelling; other files in the folder are static', async () => {
		for (const urlPath of ['/api/hello.ts', '/api/_greeting.ts', '/API/HELLO.TS', '/%61pi/hello.ts', '//api/hello.ts', '/api/./hello.ts', '/api/hello.ts.', '/api/users/../hello.ts']) {
			const raw = await rawRequest(server.port, `GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
			assert.equal(rawStatus(raw), 404, urlPath);
			assert.doesNotMatch(raw.text, /greet\(/, urlPath);
		}
		// A parameter route answers for any segment, "[id].ts" included: the handler runs, its source stays hidden.
		const param = await request(`${server.base}/api/users/%5Bid%5D.ts`);
		assert.equal(JSON.parse(param.text).id, '[id].ts');
		const data = await request(`${server.base}/api/data.json`);
		assert.deepEqual([data.status, JSON.parse(data.text)], [200, { static: true }]);
		assert.equal((await request(`${server.base}/style.css`)).status, 200);
	});

	it('answers 404 for other methods on paths under the folder that no handler matches', async () => {
		const res = await request(`${server.base}/api/nothing-here`, { method: 'POST', body: 'x' });
		assert.equal(res.status, 404);
		assert.equal((await request(`${server.base}/api/nothing-here`)).status, 404);
		// Raw, because URL parsing in a client would resolve the encoded dots before sending.
		const dots = await rawRequest(server.port, 'GET /api/users/%2e%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
		assert.equal(rawStatus(dots), 403, 'dot segments never reach a handler');
	});

	it('picks up new route files and forgets deleted ones without a restart', async () => {
		const file = workspace.write('api/fresh.ts', 'export const GET = () => "fresh";');
		assert.equal((await request(`${server.base}/api/fresh`)).text, 'fresh');
		fs.rmSync(file);
		assert.equal((await request(`${server.base}/api/fresh`)).status, 404);
	});
});

describe('methods', () => {
	it('dispatches each named method export, with the request body', async () => {
		for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
			const body = method === 'GET' ? undefined : `body-${method}`;
			// Explicit length: Node's client sends DELETE/OPTIONS bodies unframed otherwise.
			const res = await request(`${server.base}/api/methods`, { method, body, headers: { 'Content-Length': Buffer.byteLength(body ?? '') } });
			assert.equal(res.status, 200, method);
			assert.equal(res.text, `${method}:${body ?? ''}`);
			assert.equal(res.headers['x-method'], method);
		}
	});

	it('answers HEAD with the GET handler, without a body', async () => {
		const res = await request(`${server.base}/api/methods`, { method: 'HEAD' });
		assert.equal(res.status, 200);
		assert.equal(res.headers['x-method'], 'HEAD');
		assert.equal(res.body.length, 0);
		const string = await request(`${server.base}/api/readonly`, { method: 'HEAD' });
		assert.deepEqual([string.status, string.headers['content-length'], string.body.length], [200, String('read only'.length), 0]);
	});

	it('answers 405 with Allow for a method without an export, and OPTIONS by itself', async () => {
		for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
			const res = await request(`${server.base}/api/readonly`, { method, body: 'x', headers: { 'Content-Length': 1 } });
			assert.equal(res.status, 405, method);
			assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
		}
		const options = await request(`${server.base}/api/readonly`, { method: 'OPTIONS' });
		assert.deepEqual([options.status, options.headers.allow], [204, 'GET, HEAD, OPTIONS']);
	});

	it('sends every method to a default export, and supports { fetch } objects', async () => {
		const res = await request(`${server.base}/api/users/7`, { method: 'DELETE', headers: { 'Content-Length': 0 } });
		assert.equal(JSON.parse(res.text).method, 'DELETE');
		workspace.write('api/fetcher.mjs', 'export default { name: "f", fetch(request) { return `${this.name}:${request.method}`; } };');
		assert.equal((await request(`${server.base}/api/fetcher`, { method: 'PUT', body: '' })).text, 'f:PUT');
	});

	it('parses form posts and JSON bodies with the Web API', async () => {
		workspace.write('api/form.ts', `export async function POST(request: Request) {
	if (request.headers.get('content-type')?.startsWith('application/json')) return { got: await request.json() };
	const form = await request.formData();
	return { name: form.get('name'), tags: form.getAll('tag') };
}`);
		const form = await request(`${server.base}/api/form`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=Ada+L&tag=a&tag=b' });
		assert.deepEqual(JSON.parse(form.text), { name: 'Ada L', tags: ['a', 'b'] });
		const json = await request(`${server.base}/api/form`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":[1,2]}' });
		assert.deepEqual(JSON.parse(json.text), { got: { x: [1, 2] } });
	});
});

describe('return values', () => {
	before(() => {
		workspace.write('api/returns/[kind].ts', `import type { HandlerContext } from 'live-dev-server';
export async function GET(_request: Request, { params }: HandlerContext<{ kind: string }>): Promise<unknown> {
	await Promise.resolve();
	switch (params.kind) {
		case 'string': return '<h1>html</h1>';
		case 'object': return { list: [1, 'two'], nested: { ok: true } };
		case 'array': return [1, 2];
		case 'number': return 42;
		case 'response': {
			const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Custom': 'yes' });
			headers.append('Set-Cookie', 'a=1; Path=/');
			headers.append('Set-Cookie', 'b=2; Path=/');
			return new Response('created', { status: 201, statusText: 'Made It', headers });
		}
		case 'redirect': return Response.redirect('http://127.0.0.1/elsewhere', 307);
		case 'bytes': return new Response(new Uint8Array([0, 1, 2, 255]), { headers: { 'Content-Type': 'application/octet-stream' } });
		case 'empty': return new Response(null, { status: 204 });
		case 'fake-internal': return new Response('{}', { status: 500, headers: { 'x-lds-failure': '1' } });
		default: return undefined;
	}
}`);
	});

	it('sends strings as HTML and other values as JSON', async () => {
		const html = await request(`${server.base}/api/returns/string`);
		assert.deepEqual([html.status, html.headers['content-type'], html.text], [200, 'text/html; charset=utf-8', '<h1>html</h1>']);
		for (const [kind, value] of [['object', { list: [1, 'two'], nested: { ok: true } }], ['array', [1, 2]], ['number', 42]] as const) {
			const res = await request(`${server.base}/api/returns/${kind}`);
			assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', kind);
			assert.deepEqual(JSON.parse(res.text), value);
		}
	});

	it('relays Responses as built: status, reason, headers, cookies, bytes, redirects, no body', async () => {
		const res = await request(`${server.base}/api/returns/response`);
		assert.deepEqual([res.status, res.text, res.headers['x-custom']], [201, 'created', 'yes']);
		assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
		assert.match(String(res.headers['server-timing']), /handler;dur=/);
		const redirect = await request(`${server.base}/api/returns/redirect`);
		assert.deepEqual([redirect.status, redirect.headers.location], [307, 'http://127.0.0.1/elsewhere']);
		const bytes = await request(`${server.base}/api/returns/bytes`);
		assert.deepEqual([...bytes.body], [0, 1, 2, 255]);
		const empty = await request(`${server.base}/api/returns/empty`);
		assert.deepEqual([empty.status, empty.body.length], [204, 0]);
	});

	it('does not let a handler fake the internal failure signal', async () => {
		const res = await request(`${server.base}/api/returns/fake-internal`);
		assert.deepEqual([res.status, res.text, res.headers['x-lds-failure']], [500, '{}', undefined]);
	});

	it('explains a missing return value with a 500 page', async () => {
		const res = await request(`${server.base}/api/returns/nothing`);
		assert.equal(res.status, 500);
		assert.match(res.text, /returned undefined \(did you forget to return\?\)/);
		assert.match(server.logs.at(-1)!.error ?? '', /TypeError/);
	});
});

describe('streaming', () => {
	before(() => {
		workspace.write('api/stream.ts', `declare global { var releaseStream: (() => void) | undefined; var streamAborted: boolean | undefined; }
export function GET(request: Request): Response {
	globalThis.streamAborted = false;
	request.signal.addEventListener('abort', () => (globalThis.streamAborted = true));
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			controller.enqueue(new TextEncoder().encode('first;'));
			await new Promise<void>((resolve) => (globalThis.releaseStream = resolve));
			controller.enqueue(new TextEncoder().encode('second'));
			controller.close();
		},
	});
	return new Response(body, { headers: { 'Content-Type': 'text/plain' } });
}`);
		workspace.write('api/stream-control.ts', `export function POST() { globalThis.releaseStream?.(); return 'released'; }
export function GET() { return { aborted: globalThis.streamAborted === true }; }`);
	});

	it('streams a body chunk by chunk', async () => {
		const stream = await streamingGet(`${server.base}/api/stream`);
		assert.equal(await stream.firstChunk, 'first;', 'the first chunk arrives while the handler is still running');
		await waitFor(async () => (await request(`${server.base}/api/stream-control`, { method: 'POST', body: '' })).text === 'released');
		assert.equal(await stream.body, 'first;second');
	});

	it('aborts request.signal when the client disconnects', async () => {
		const stream = await streamingGet(`${server.base}/api/stream`);
		await stream.firstChunk;
		stream.req.destroy();
		await waitFor(async () => JSON.parse((await request(`${server.base}/api/stream-control`)).text).aborted === true, { what: 'the abort signal' });
	});
});

describe('workspace code', () => {
	it('imports npm packages from the workspace, and import.meta.url points at the source', async () => {
		workspace.write('node_modules/esm-pkg/package.json', JSON.stringify({ name: 'esm-pkg', type: 'module', exports: { import: './index.js' } }));
		workspace.write('node_modules/esm-pkg/index.js', 'export const shout = (text) => text.toUpperCase();');
		workspace.write('node_modules/cjs-pkg/package.json', JSON.stringify({ name: 'cjs-pkg', main: 'main.js' }));
		workspace.write('node_modules/cjs-pkg/main.js', 'exports.twice = (n) => n * 2;');
		workspace.write('api/data/info.txt', 'data next to the handler');
		workspace.write('api/packages.ts', `// @ts-nocheck
import { shout } from 'esm-pkg';
import cjs from 'cjs-pkg';
import { readFileSync } from 'node:fs';
export const GET = () => ({ shout: shout('hi'), twice: cjs.twice(21), file: readFileSync(new URL('./data/info.txt', import.meta.url), 'utf8') });`);
		const res = await request(`${server.base}/api/packages`);
		assert.deepEqual(JSON.parse(res.text), { shout: 'HI', twice: 42, file: 'data next to the handler' });
	});
});

describe('handlers disabled', () => {
	it('executes nothing: the folder is plain static content', async () => {
		const off = createTempWorkspace('handlers');
		const marker = path.join(off.root, 'executed.txt');
		off.write('api/side-effect.ts', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const GET = () => 'ran';`);
		const plain = await startSession(off.root, { handlerWorkerPath: HANDLER_WORKER, handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: false } });
		try {
			assert.equal((await request(`${plain.base}/api/side-effect`)).status, 404);
			assert.match((await request(`${plain.base}/api/hello/`)).text, /static hello folder/, 'the static file, not the handler');
			const source = await request(`${plain.base}/api/side-effect.ts`);
			assert.match(source.text, /writeFileSync/);
			assert.equal(fs.existsSync(marker), false);
			assert.equal(plain.session.handlers, undefined);
		} finally {
			await plain.close();
			off.remove();
		}
	});
});

describe('HTML transform (live-reload injection)', () => {
	it('applies to HTML from handlers only, recomputing Content-Length, unless no-transform', async () => {
		const root = workspace.root;
		workspace.write('api/plain.ts', 'export const GET = () => new Response("plain", { headers: { "Content-Type": "text/plain" } });');
		workspace.write('api/raw-html.ts', 'export const GET = () => new Response("<p>raw</p>", { headers: { "Content-Type": "text/html", "Cache-Control": "no-transform" } });');
		const handlers = createHandlerHost(root, { handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: true }, handlerWorkerPath: HANDLER_WORKER })!;
		const staticFiles = await StaticFiles.create({ root, source: new DiskFileSource(), dotfilesAllow: [], listingsCacheable: false });
		const pipeline = createPipeline({
			hostPolicy: createHostPolicy('127.0.0.1', []),
			staticFiles,
			stages: [handlers.stage],
			htmlTransform: { id: 't', apply: (html) => Buffer.concat([html, Buffer.from('<!--injected-->')]) },
		});
		const httpServer = http.createServer(pipeline);
		await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(httpServer.address() as { port: number }).port}`;
		try {
			const html = await request(`${base}/api/hello`);
			assert.match(html.text, /Hello, world!.*<!--injected-->$/s);
			assert.equal(Number(html.headers['content-length']), html.body.length);
			assert.equal((await request(`${base}/api/plain`)).text, 'plain');
			assert.equal((await request(`${base}/api/raw-html`)).text, '<p>raw</p>');
			const failing = await request(`${base}/api/returns/nothing`);
			assert.match(failing.text, /<!--injected-->$/, 'error pages get the script too, so they reload once fixed');
		} finally {
			await new Promise((resolve) => httpServer.close(resolve));
			await handlers.host.dispose();
		}
	});
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HandlerDiagnosticsEvent, HandlersChangedEvent } from '../../server-core/handlers/handlerHost';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { connectLiveClient, tokenFromPage } from '../helpers/liveClient';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: HandlerTestServer;
const changes: HandlersChangedEvent[] = [];
const diagnostics: HandlerDiagnosticsEvent[] = [];

before(async () => {
	workspace = createTempWorkspace('handlers');
	server = await startHandlerSession(workspace.root, {}, {
		reload: true,
		onHandlersChanged: (event) => changes.push(event),
		onHandlerDiagnostics: (event) => diagnostics.push(event),
	});
	await server.session.watching;
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('handlers with live reload', () => {
	it('injects the live-reload client into handler HTML with an exact Content-Length', async () => {
		const res = await request(`${server.base}/api/hello`);
		assert.match(res.text, /Hello, world!/);
		assert.match(res.text, /<script src="\.\.\/__live\/client\.js\?t=[0-9a-f]+\.any"><\/script>/, 'relative to /api/hello, marked as no file page');
		assert.equal(Number(res.headers['content-length']), res.body.length);
		const json = await request(`${server.base}/api/users/1`);
		assert.doesNotMatch(json.text, /__live/, 'JSON is never touched');
	});

	it('answers HEAD of handler HTML with the same headers as GET, Content-Length included, and no body', async () => {
		workspace.write('api/head.ts', `export function HEAD() { return new Response(null, { headers: { 'X-Own-Head': 'yes' } }); }
export const GET = () => new Response('<!DOCTYPE html><p>page</p>', { headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-From': 'get' } });`);
		for (const route of ['/api/hello', '/api/readonly']) {
			const get = await request(`${server.base}${route}`);
			const head = await request(`${server.base}${route}`, { method: 'HEAD' });
			assert.equal(head.status, 200, route);
			assert.equal(head.body.length, 0, route);
			assert.equal(head.headers['content-length'], get.headers['content-length'], `${route}: Content-Length of the GET, script included`);
			assert.equal(Number(get.headers['content-length']), get.body.length, route);
			assert.equal(head.headers['content-type'], get.headers['content-type'], route);
		}
		const own = await request(`${server.base}/api/head`, { method: 'HEAD' });
		assert.deepEqual([own.status, own.headers['x-own-head'], own.headers['x-from']], [200, 'yes', undefined], 'a HEAD export still answers HEAD itself');
	});

	it('sends the same headers for HEAD and GET of handler HTML, ETag included (or left out by both)', async () => {
		workspace.write('api/tagged.ts', `export const GET = () => new Response('<!DOCTYPE html><p>tagged</p>', { headers: { 'Content-Type': 'text/html', ETag: '"v1"', 'X-Kind': 'page' } });`);
		workspace.write('api/taggedhead.ts', `const headers = { 'Content-Type': 'text/html', ETag: '"v1"' };
export const GET = () => new Response('<!DOCTYPE html><p>tagged</p>', { headers });
export const HEAD = () => new Response(null, { headers });`);
		for (const route of ['/api/tagged', '/api/taggedhead']) {
			const get = await request(`${server.base}${route}`);
			const head = await request(`${server.base}${route}`, { method: 'HEAD' });
			assert.match(get.text, /__live\/client\.js/, route);
			// Its own HEAD export cannot tell the GET's length: then HEAD sends none rather than a wrong one.
			const ownHead = route === '/api/taggedhead';
			const varying = ['date', 'server-timing', 'connection', 'keep-alive', 'transfer-encoding', ...(ownHead ? ['content-length'] : [])];
			const comparable = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !varying.includes(name)));
			assert.deepEqual(comparable(head.headers), comparable(get.headers), route);
			if (ownHead) assert.equal(head.headers['content-length'], undefined, route);
		}
	});

	it('reloads a page showing a handler when the handler is saved, and the reload runs the new code', async () => {
		const token = await tokenFromPage(server.base, '/api/hello');
		const client = await connectLiveClient(server.base, token, { page: '/api/hello' });
		try {
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/api/hello'), { what: 'the hello' });
			workspace.write('api/_greeting.ts', 'export function greet(name: string): string {\n\treturn `Howdy, ${name}!`;\n}\n');
			assert.deepEqual(await client.next(), { type: 'reload' });
			assert.match((await request(`${server.base}/api/hello`)).text, /Howdy, world!/);
			await waitFor(() => changes.some((event) => event.files.some((file) => file.endsWith('_greeting.ts'))), { what: 'onHandlersChanged from the watcher' });
		} finally {
			client.close();
		}
	});

	it('publishes compile diagnostics on save, before any request', async () => {
		assert.equal((await request(`${server.base}/api/readonly`)).status, 200);
		workspace.write('api/readonly.ts', 'export function GET(): string {\n\treturn "read only" +;\n}\n');
		const event = await waitFor(() => diagnostics.flatMap((entry) => entry.files).find((entry) => entry.file.endsWith('readonly.ts') && entry.diagnostics.length > 0), { what: 'diagnostics' });
		assert.equal(event.diagnostics[0]!.line, 2);
	});
});

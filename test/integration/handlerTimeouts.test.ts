import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as pace } from 'node:timers/promises';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

// Well above the upload's pauses below, so a busy machine stretching them cannot look like a stall.
const TIMEOUT_MS = 1000;

let workspace: TempWorkspace;
let server: HandlerTestServer;

before(async () => {
	workspace = createTempWorkspace('handlers');
	workspace.write('api/upload.ts', 'export async function POST(request: Request) { return { received: (await request.text()).length }; }');
	workspace.write('api/ignores-body.ts', 'export const POST = () => new Promise(() => {});');
	workspace.write('api/endless-html.ts', `export function GET() {
	const body = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('<!DOCTYPE html><p>never ends')); } });
	return new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}`);
	workspace.write('api/short-html.ts', 'export const GET = () => new Response("<p>short</p>", { headers: { "Content-Type": "text/html", "Content-Length": "100" } });');
	workspace.write('api/short-text.ts', 'export const GET = () => new Response("short", { headers: { "Content-Type": "text/plain", "Content-Length": "100" } });');
	workspace.write('api/ok.ts', 'export const GET = () => "ok";');
	// Live reload on: handler HTML is buffered to inject its script, which is where a body that never ends used to hang.
	server = await startHandlerSession(workspace.root, { timeoutMs: TIMEOUT_MS }, { reload: true });
});

after(async () => {
	await server.close();
	workspace.remove();
});

/** A POST whose body is written in `chunks` pieces, `gapMs` apart: a slow upload, paced on purpose. */
function slowUpload(url: string, chunks: number, gapMs: number): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'text/plain', 'Content-Length': chunks * 10 } }, (res) => {
			let text = '';
			res.on('data', (chunk: Buffer) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
		});
		req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
		req.on('error', reject);
		void (async () => {
			for (let index = 0; index < chunks; index++) {
				req.write('0123456789');
				await pace(gapMs);
			}
			req.end();
		})();
	});
}

describe('the handler timeout counts from the end of the request body', () => {
	it('lets an upload that takes longer than the timeout reach a handler that reads it', async () => {
		assert.equal((await request(`${server.base}/api/upload`, { method: 'POST', body: 'warm' })).status, 200, 'compiled and running');
		// 10 × 150 ms: 1.5 times the timeout, but never 1000 ms without progress.
		const started = Date.now();
		const res = await slowUpload(`${server.base}/api/upload`, 10, 150);
		assert.ok(Date.now() - started > TIMEOUT_MS, 'the upload took longer than the timeout');
		assert.equal(res.status, 200, res.text.slice(0, 300));
		assert.deepEqual(JSON.parse(res.text), { received: 100 });
	});

	it('still answers 504 when the handler never answers after the upload', async () => {
		const res = await slowUpload(`${server.base}/api/ignores-body`, 3, 100);
		assert.equal(res.status, 504);
		assert.match(res.text, /did not respond within 1 s/);
		assert.equal((await request(`${server.base}/api/ok`)).status, 200);
	});
});

describe('a handler response body that does not end as announced never hangs the request', () => {
	it('answers 504 when buffered HTML never ends, naming no-transform', async () => {
		const res = await request(`${server.base}/api/endless-html`, { timeoutMs: 5000 });
		assert.equal(res.status, 504);
		assert.match(res.text, /did not finish its HTML body within 1 s/);
		assert.match(res.text, /no-transform/);
		assert.match(server.logs.find((entry) => entry.path === '/api/endless-html')?.error ?? '', /did not finish its HTML body/);
		assert.equal((await request(`${server.base}/api/ok`)).status, 200);
	});

	it('answers 500 naming the Content-Length when the body is shorter than announced', async () => {
		for (const route of ['short-html', 'short-text']) {
			const res = await request(`${server.base}/api/${route}`, { timeoutMs: 5000 });
			assert.equal(res.status, 500, route);
			assert.match(res.text, /Content-Length/, route);
		}
		assert.equal((await request(`${server.base}/style.css`)).status, 200);
	});
});

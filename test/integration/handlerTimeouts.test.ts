import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as pace } from 'node:timers/promises';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

const TIMEOUT_MS = 400;

let workspace: TempWorkspace;
let server: HandlerTestServer;

before(async () => {
	workspace = createTempWorkspace('handlers');
	workspace.write('api/upload.ts', 'export async function POST(request: Request) { return { received: (await request.text()).length }; }');
	workspace.write('api/ignores-body.ts', 'export const POST = () => new Promise(() => {});');
	workspace.write('api/ok.ts', 'export const GET = () => "ok";');
	server = await startHandlerSession(workspace.root, { timeoutMs: TIMEOUT_MS });
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
		// 10 × 100 ms: 2.5 times the timeout, but never 400 ms without progress.
		const started = Date.now();
		const res = await slowUpload(`${server.base}/api/upload`, 10, 100);
		assert.ok(Date.now() - started > TIMEOUT_MS, 'the upload took longer than the timeout');
		assert.equal(res.status, 200, res.text.slice(0, 300));
		assert.deepEqual(JSON.parse(res.text), { received: 100 });
	});

	it('still answers 504 when the handler never answers after the upload', async () => {
		const res = await slowUpload(`${server.base}/api/ignores-body`, 3, 100);
		assert.equal(res.status, 504);
		assert.match(res.text, /did not respond within 400 ms/);
		assert.equal((await request(`${server.base}/api/ok`)).status, 200);
	});
});

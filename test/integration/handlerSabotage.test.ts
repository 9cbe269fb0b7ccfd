import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: HandlerTestServer;

before(async () => {
	workspace = createTempWorkspace('handlers');
	workspace.write('api/pid.ts', 'export const GET = () => String(process.pid);');
	workspace.write('api/json.ts', 'export const GET = (request: Request) => ({ method: request.method, url: new URL(request.url).pathname });');
	workspace.write('api/echo.ts', 'export async function POST(request: Request) { return `echo:${await request.text()}:${request.headers.get("x-test")}`; }');
	workspace.write('api/throws.ts', 'export function GET() { throw new RangeError("still reported"); }');
	workspace.write('api/spin.ts', 'export function GET() { for (;;) {} }');
	// Replaces the Web globals (and JSON) for every handler in this worker. (Not Map or Error: Node's own fetch
	// implementation needs those, so no server code could survive that; the worker is replaced then, see below.)
	workspace.write('api/clobber-globals.ts', `export function GET() {
	const broken = function () { throw new Error('clobbered'); };
	Object.assign(globalThis, { Response: broken, Request: broken, Headers: broken });
	JSON.stringify = () => { throw new Error('clobbered JSON'); };
	return 'clobbered';
}`);
	// Breaks Node's own response object: nothing the worker writes can succeed any more.
	workspace.write('api/sabotage-http.ts', `import * as http from 'node:http';
export function GET() {
	http.ServerResponse.prototype.writeHead = function () { throw new Error('sabotaged writeHead'); };
	return 'sabotaged';
}`);
	server = await startHandlerSession(workspace.root, { timeoutMs: 2000 });
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('a handler that breaks the worker it runs in', () => {
	it('cannot break the other routes by overwriting Response, Request, Headers or JSON', async () => {
		const pid = (await request(`${server.base}/api/pid`)).text;
		assert.deepEqual([(await request(`${server.base}/api/clobber-globals`)).status, (await request(`${server.base}/api/clobber-globals`)).text], [200, 'clobbered']);
		const json = await request(`${server.base}/api/json`);
		assert.deepEqual([json.status, json.headers['content-type'], JSON.parse(json.text)], [200, 'application/json; charset=utf-8', { method: 'GET', url: '/api/json' }]);
		const echo = await request(`${server.base}/api/echo`, { method: 'POST', body: 'hi', headers: { 'X-Test': 'yes' } });
		assert.deepEqual([echo.status, echo.text], [200, 'echo:hi:yes']);
		const thrown = await request(`${server.base}/api/throws`);
		assert.equal(thrown.status, 500);
		assert.match(thrown.text, /RangeError: still reported/);
		assert.equal((await request(`${server.base}/api/pid`)).text, pid, 'all of that in the same worker');
	});

	it('still gets its worker replaced on a timeout', async () => {
		await request(`${server.base}/api/clobber-globals`);
		const before = (await request(`${server.base}/api/pid`)).text;
		assert.equal((await request(`${server.base}/api/spin`)).status, 504);
		assert.notEqual((await request(`${server.base}/api/pid`)).text, before, 'a fresh worker');
	});

	it('gets its worker replaced when the worker itself fails, so the next request works again', async () => {
		const before = (await request(`${server.base}/api/pid`)).text;
		const broken = await request(`${server.base}/api/sabotage-http`);
		assert.equal(broken.status, 500);
		assert.match(broken.text, /worker/i);
		const after = await request(`${server.base}/api/pid`);
		assert.equal(after.status, 200, 'the next request is answered');
		assert.notEqual(after.text, before, 'by a fresh worker');
		assert.equal((await request(`${server.base}/style.css`)).status, 200);
	});
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHandlerSession, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

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

describe('route files', () => {
	it('routes catch-alls with the rest of the path (decoded once), after static and parameter routes', async () => {
		workspace.write('api/files/[...path].ts', 'import type { HandlerContext } from "live-dev-server";\nexport const GET = (_r: Request, { params, route }: HandlerContext<{ path: string }>) => ({ path: params.path, route });');
		workspace.write('api/files/readme.ts', 'export const GET = () => "static beats catch-all";');
		workspace.write('api/files/[name]/info.ts', 'import type { HandlerContext } from "live-dev-server";\nexport const GET = (_r: Request, { params }: HandlerContext<{ name: string }>) => `info of ${params.name}`;');
		const deep = await request(`${server.base}/api/files/a/b%20c/d.txt`);
		assert.deepEqual(JSON.parse(deep.text), { path: 'a/b c/d.txt', route: '/api/files/*path' });
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/files/one`)).text), { path: 'one', route: '/api/files/*path' });
		assert.equal((await request(`${server.base}/api/files/readme`)).text, 'static beats catch-all');
		assert.equal((await request(`${server.base}/api/files/x/info`)).text, 'info of x');
		// A catch-all needs at least one segment: /api/files itself is the folder (the static server redirects to /api/files/).
		const folder = await request(`${server.base}/api/files`);
		assert.deepEqual([folder.status, folder.headers.location], [301, '/api/files/']);
		assert.ok(server.logs.filter((entry) => entry.path === '/api/files').every((entry) => entry.source !== 'handler'));
	});

	it('runs .js, .mjs and .mts handlers as well as .ts', async () => {
		workspace.write('api/kinds/plain.js', 'export function GET() { return "from .js"; }');
		workspace.write('api/kinds/module.mjs', 'export default () => "from .mjs";');
		workspace.write('api/kinds/typed.mts', 'const label: string = "from .mts";\nexport const GET = (): string => label;');
		for (const [route, text] of [['plain', 'from .js'], ['module', 'from .mjs'], ['typed', 'from .mts']]) {
			const res = await request(`${server.base}/api/kinds/${route}`);
			assert.deepEqual([res.status, res.text], [200, text], route);
		}
	});
});

describe('route warnings', () => {
	it('logs once that a file is ignored because another answers the same route', async () => {
		workspace.write('api/clock.ts', 'export const GET = () => "clock.ts";');
		workspace.write('api/clock/index.ts', 'export const GET = () => "clock/index.ts";');
		assert.equal((await request(`${server.base}/api/clock`)).text, 'clock.ts');
		const warnings = () => server.messages.filter((message) => message.includes('clock/index.ts'));
		assert.equal(warnings().length, 1);
		assert.match(warnings()[0]!, /Handler clock\/index\.ts is ignored: clock\.ts answers the same route/);
		workspace.write('api/other.ts', 'export const GET = () => "other";'); // a rescan
		assert.equal((await request(`${server.base}/api/other`)).text, 'other');
		assert.equal(warnings().length, 1, 'not again');
	});

	it('logs that routes are missing when the folder has more files than are scanned', async () => {
		const own = createTempWorkspace('handlers');
		// A folder that sorts first fills the scan: the route after it is never seen.
		for (let index = 0; index <= 5000; index++) own.write(`api/aaa-data/file-${index}.txt`, '');
		own.write('api/zzz.ts', 'export const GET = () => "z";');
		const crowded = await startHandlerSession(own.root);
		try {
			assert.equal((await request(`${crowded.base}/api/zzz`)).status, 404);
			assert.equal(crowded.messages.filter((message) => /more than 5000 files: only the first 5000 were scanned/.test(message)).length, 1);
			await request(`${crowded.base}/api/hello`);
			assert.equal(crowded.messages.filter((message) => /more than 5000 files/.test(message)).length, 1, 'once');
		} finally {
			await crowded.close();
			own.remove();
		}
	});
});

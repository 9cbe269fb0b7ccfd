import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHandlerSession, streamingGet, type HandlerTestServer } from '../helpers/handlerSession';
import { request } from '../helpers/httpRequest';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: HandlerTestServer;

before(async () => {
	workspace = createTempWorkspace('handlers');
	workspace.write('api/value/[kind].ts', `import type { HandlerContext } from 'live-dev-server';
declare global { var releaseValueStream: (() => void) | undefined; }
class Point { constructor(public x: number, public y: number) {} }
export function GET(_request: Request, { params }: HandlerContext<{ kind: string }>): unknown {
	switch (params.kind) {
		case 'null': return null;
		case 'true': return true;
		case 'false': return false;
		case 'uint8array': return new Uint8Array([0, 1, 2, 255]);
		case 'buffer': return Buffer.from('node buffer');
		case 'arraybuffer': return new Uint8Array([9, 8, 7]).buffer;
		case 'dataview': return new DataView(new Uint8Array([5, 6, 7, 8]).buffer, 1, 2);
		case 'blob': return new Blob(['blob text'], { type: 'text/plain' });
		case 'untyped-blob': return new Blob([new Uint8Array([1, 2])]);
		case 'stream': return new ReadableStream<Uint8Array>({
			async start(controller) {
				controller.enqueue(new TextEncoder().encode('first;'));
				await new Promise<void>((resolve) => (globalThis.releaseValueStream = resolve));
				controller.enqueue(new TextEncoder().encode('second'));
				controller.close();
			},
		});
		case 'map': return new Map([['a', 1]]);
		case 'set': return new Set([1]);
		case 'nested-map': return { users: new Map([['a', 1]]) };
		case 'nested-bytes': return { list: [{ data: new Uint8Array([1]) }] };
		case 'error': return new Error('returned, not thrown');
		case 'class': return new Point(1, 2);
		case 'date': return { when: new Date(0) };
		default: return undefined;
	}
}
export function POST() { globalThis.releaseValueStream?.(); return 'released'; }`);
	server = await startHandlerSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('return values besides Response and string', () => {
	it('sends null and booleans as JSON', async () => {
		for (const kind of ['null', 'true', 'false']) {
			const res = await request(`${server.base}/api/value/${kind}`);
			assert.deepEqual([res.status, res.headers['content-type'], res.text], [200, 'application/json; charset=utf-8', kind]);
		}
	});

	it('sends bytes (typed arrays, Buffer, ArrayBuffer, DataView) as the body, application/octet-stream', async () => {
		const expected: Record<string, number[]> = {
			uint8array: [0, 1, 2, 255],
			buffer: [...Buffer.from('node buffer')],
			arraybuffer: [9, 8, 7],
			dataview: [6, 7],
		};
		for (const [kind, bytes] of Object.entries(expected)) {
			const res = await request(`${server.base}/api/value/${kind}`);
			assert.equal(res.status, 200, kind);
			assert.equal(res.headers['content-type'], 'application/octet-stream', kind);
			assert.equal(res.headers['content-length'], String(bytes.length), kind);
			assert.deepEqual([...res.body], bytes, kind);
		}
	});

	it('sends a Blob with its own type (or application/octet-stream)', async () => {
		const typed = await request(`${server.base}/api/value/blob`);
		assert.deepEqual([typed.status, typed.headers['content-type'], typed.text], [200, 'text/plain', 'blob text']);
		const untyped = await request(`${server.base}/api/value/untyped-blob`);
		assert.deepEqual([untyped.headers['content-type'], [...untyped.body]], ['application/octet-stream', [1, 2]]);
	});

	it('streams a returned ReadableStream', async () => {
		const stream = await streamingGet(`${server.base}/api/value/stream`);
		assert.equal(stream.res.headers['content-type'], 'application/octet-stream');
		assert.equal(await stream.firstChunk, 'first;', 'the first chunk arrives while the stream is still open');
		await waitFor(async () => (await request(`${server.base}/api/value/stream`, { method: 'POST', body: '' })).text === 'released');
		assert.equal(await stream.body, 'first;second');
	});

	it('refuses values JSON cannot represent with a 500 that names them, instead of sending {}', async () => {
		const cases: Record<string, RegExp> = {
			map: /returned a Map,/,
			set: /returned a Set,/,
			'nested-map': /returned a Map at users,/,
			'nested-bytes': /returned a Uint8Array at list\[0\]\.data,/,
			error: /returned an Error,.*throw it/,
		};
		for (const [kind, message] of Object.entries(cases)) {
			const res = await request(`${server.base}/api/value/${kind}`);
			assert.equal(res.status, 500, kind);
			assert.match(res.text, message, kind);
			assert.match(res.text, /cannot be turned into a response/, kind);
		}
	});

	it('still sends class instances with data and values with toJSON as JSON', async () => {
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/value/class`)).text), { x: 1, y: 2 });
		assert.deepEqual(JSON.parse((await request(`${server.base}/api/value/date`)).text), { when: '1970-01-01T00:00:00.000Z' });
	});
});

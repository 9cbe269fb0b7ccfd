// Shutdown: once the server is closed, no request is served on a connection that was busy when it closed (Node
// would keep such keep-alive connections serving; a page could then reload from a stopped server).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { describe, it } from 'node:test';
import { HttpServer } from '../../server-core/http/httpServer';

type Answer = { status: number; connection: string | undefined; body: string } | { error: string };

function get(port: number, path: string, agent: http.Agent): Promise<Answer> {
	return new Promise((resolve) => {
		http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
		}).on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
	});
}

/**
 * A server whose `/held` response starts (`begin`, e.g. writing its headers) and then waits until released; other
 * paths are answered at once. Closes it while `/held` is in flight, releases it, and returns what the client got for
 * `/held` and then for a request on the same keep-alive agent.
 */
async function closeDuringResponse(begin: (res: http.ServerResponse) => void, finish: (res: http.ServerResponse) => void): Promise<{ held: Answer; after: Answer }> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	let begun!: () => void;
	const inFlight = new Promise<void>((resolve) => (begun = resolve));
	const server = new HttpServer((req, res) => {
		if (req.url !== '/held') {
			res.end(`answered ${req.url}`);
			return;
		}
		begin(res);
		begun();
		void released.then(() => finish(res));
	}, { host: '127.0.0.1', port: 0, portExplicit: true });
	const { port } = await server.listen();
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const held = get(port, '/held', agent);
		await inFlight;
		const closed = server.close();
		release();
		const result = { held: await held, after: await get(port, '/after', agent) };
		await closed;
		return result;
	} finally {
		agent.destroy();
	}
}

describe('closing the HTTP server', () => {
	it('lets an in-flight response finish, as the last one on its keep-alive connection', async () => {
		const { held, after } = await closeDuringResponse(() => {}, (res) => res.end('held done'));
		assert.deepEqual(held, { status: 200, connection: 'close', body: 'held done' });
		// The same agent would reuse a kept-alive socket; there is none left, and nothing listens.
		assert.ok('error' in after, `not served after close: ${JSON.stringify(after)}`);
	});

	it('ends the connection after a response whose headers were already sent when it closed', async () => {
		const { held, after } = await closeDuringResponse((res) => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.write('part one, ');
		}, (res) => res.end('part two'));
		assert.ok('body' in held && held.body === 'part one, part two', JSON.stringify(held));
		assert.ok('error' in after, `not served after close: ${JSON.stringify(after)}`);
	});
});

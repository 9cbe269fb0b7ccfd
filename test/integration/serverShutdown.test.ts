// Shutdown: once the server is closed, no request is served on a connection that was busy when it closed (Node
// would keep such keep-alive connections serving; a page could then reload from a stopped server).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { describe, it } from 'node:test';
import { HttpServer } from '../../server-core/http/httpServer';

function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; connection: string | undefined; body: string } | { error: string }> {
	return new Promise((resolve) => {
		http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
		}).on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
	});
}

describe('closing the HTTP server', () => {
	it('lets an in-flight response finish, as the last one on its keep-alive connection', async () => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let arrived!: () => void;
		const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
		const server = new HttpServer((req, res) => {
			if (req.url !== '/slow') {
				res.end(`answered ${req.url}`);
				return;
			}
			arrived();
			void held.then(() => res.end('slow done'));
		}, { host: '127.0.0.1', port: 0, portExplicit: true });
		const { port } = await server.listen();
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const slow = get(port, '/slow', agent);
			await slowArrived;
			const closed = server.close();
			release();
			assert.deepEqual(await slow, { status: 200, connection: 'close', body: 'slow done' });
			// The same agent would reuse a kept-alive socket; there is none left, and nothing listens.
			const after = await get(port, '/after', agent);
			assert.ok('error' in after, `not served after close: ${JSON.stringify(after)}`);
			await closed;
		} finally {
			agent.destroy();
		}
	});

	it('ends the connection after a response whose headers were already sent when it closed', async () => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let started!: () => void;
		const headersSent = new Promise<void>((resolve) => (started = resolve));
		const server = new HttpServer((req, res) => {
			if (req.url !== '/stream') {
				res.end(`answered ${req.url}`);
				return;
			}
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.write('part one, ');
			started();
			void held.then(() => res.end('part two'));
		}, { host: '127.0.0.1', port: 0, portExplicit: true });
		const { port } = await server.listen();
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const stream = get(port, '/stream', agent);
			await headersSent;
			const closed = server.close();
			release();
			const answer = await stream;
			assert.ok('body' in answer && answer.body === 'part one, part two', JSON.stringify(answer));
			assert.ok('error' in (await get(port, '/after', agent)));
			await closed;
		} finally {
			agent.destroy();
		}
	});
});

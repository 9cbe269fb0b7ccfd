import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** A real backend for proxy tests: records what it received and answers by path. */
export interface TestBackend {
	server: http.Server;
	port: number;
	url: string;
	/** Requests received so far (method, url, headers, body once complete). */
	requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; aborted: boolean }[];
	/** Releases the second half of /api/stream. */
	releaseStream(): void;
	close(): Promise<void>;
}

export async function startBackend(): Promise<TestBackend> {
	const requests: TestBackend['requests'] = [];
	let release!: () => void;
	let released = new Promise<void>((resolve) => (release = resolve));
	const server = http.createServer((req, res) => {
		const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', aborted: false };
		requests.push(record);
		req.on('data', (chunk: Buffer) => (record.body += chunk.toString('utf8')));
		res.on('close', () => {
			if (!res.writableFinished) record.aborted = true;
		});
		const url = new URL(req.url ?? '/', 'http://backend');
		const path = url.pathname;
		if (path.endsWith('/slow')) return; // never answers
		if (path.endsWith('/stream')) {
			res.writeHead(200, { 'Content-Type': 'text/plain' });
			res.write('first;');
			void released.then(() => res.end('second'));
			return;
		}
		if (path.endsWith('/upload')) {
			// Answers as soon as the first bytes arrive, proving the body is streamed, not buffered by the proxy.
			req.once('data', (chunk: Buffer) => {
				res.writeHead(200, { 'Content-Type': 'text/plain' });
				res.write(`got:${chunk.toString('utf8')};`);
				req.on('end', () => res.end('end'));
			});
			return;
		}
		req.on('end', (): void => {
			const status = /\/status\/(\d{3})$/.exec(path);
			if (status) {
				res.writeHead(Number(status[1]), { 'Content-Type': 'text/plain', 'X-Backend': 'yes' });
				return void res.end(`status ${status[1]}`);
			}
			if (path.endsWith('/page')) {
				res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
				return void res.end('<!DOCTYPE html><html><head><title>backend</title></head><body>backend page</body></html>');
			}
			if (path.endsWith('/redirect')) {
				res.writeHead(302, { Location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/echo?from=redirect` });
				return void res.end();
			}
			if (path.endsWith('/cookies')) {
				res.writeHead(200, [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['Connection', 'x-private'], ['X-Private', 'hop'], ['Content-Type', 'text/plain']].flat());
				return void res.end('cookies');
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: record.body }));
		});
	});
	const wss = new WebSocketServer({ noServer: true });
	server.on('upgrade', (req, socket, head) => {
		if (req.url?.endsWith('/refuse')) {
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nrefused');
			return;
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			ws.send(`hello ${req.url} ${req.headers['x-forwarded-host'] ?? ''}`);
			ws.on('message', (data) => ws.send(`echo:${data.toString()}`));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		server,
		port,
		url: `http://127.0.0.1:${port}`,
		requests,
		releaseStream() {
			release();
			released = new Promise<void>((resolve) => (release = resolve));
		},
		async close() {
			for (const client of wss.clients) client.terminate();
			wss.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
	const probe = http.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

import * as http from 'node:http';
import * as net from 'node:net';

export interface PrefixProxy {
	/** `http://127.0.0.1:<port>`: the site of local port P is at `${base}/proxy/P/`. */
	base: string;
	close(): Promise<void>;
}

/**
 * A reverse proxy that serves each local port under `/proxy/<port>/` and strips that prefix before passing the
 * request on, WebSockets included: what code-server (and Coder) do for forwarded ports.
 */
export async function startPrefixProxy(): Promise<PrefixProxy> {
	const server = http.createServer((req, res) => {
		const target = targetOf(req.url);
		if (target === undefined) {
			res.writeHead(404).end();
			return;
		}
		const upstream = http.request({ host: '127.0.0.1', port: target.port, path: target.path, method: req.method, headers: req.headers, agent: false }, (upstreamRes) => {
			res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
			upstreamRes.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
		const target = targetOf(req.url);
		if (target === undefined) return socket.destroy();
		const upstream = net.connect(target.port, '127.0.0.1', () => {
			const lines = [`${req.method} ${target.path} HTTP/1.1`];
			for (let index = 0; index < req.rawHeaders.length; index += 2) lines.push(`${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}`);
			upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
			upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		upstream.on('error', () => socket.destroy());
		socket.on('error', () => upstream.destroy());
		return undefined;
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		base: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

function targetOf(url: string | undefined): { port: number; path: string } | undefined {
	const match = /^\/proxy\/(\d{1,5})(\/.*)?$/.exec(url ?? '');
	return match === null ? undefined : { port: Number(match[1]), path: match[2] ?? '/' };
}

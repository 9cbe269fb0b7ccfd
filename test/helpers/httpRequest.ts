import * as http from 'node:http';
import * as net from 'node:net';

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text: string;
}

export interface RequestOptions {
	method?: string;
	headers?: http.OutgoingHttpHeaders;
	body?: string | Buffer;
	agent?: http.Agent | false;
	timeoutMs?: number;
}

/** A plain node:http request: no automatic decompression or redirects, so headers are seen exactly as sent. */
export function request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
			});
			res.on('error', reject);
		});
		req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`Request to ${url} timed out`)));
		req.on('error', reject);
		req.end(options.body);
	});
}

export interface RawExchange {
	/** Everything the server sent before closing or before the idle timeout. */
	text: string;
	/** True when the server closed the connection. */
	closed: boolean;
}

/**
 * Writes raw bytes to the server and collects the reply: for requests a client library would refuse or
 * normalise (`..` segments, bad methods, broken syntax). Ends when the server closes or stays quiet for `idleMs`.
 */
export function rawRequest(port: number, payload: string | Buffer, { host = '127.0.0.1', idleMs = 300, maxMs = 10_000 } = {}): Promise<RawExchange> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ port, host });
		const chunks: Buffer[] = [];
		let idle: NodeJS.Timeout | undefined;
		const finish = (closed: boolean) => {
			clearTimeout(idle);
			clearTimeout(limit);
			socket.destroy();
			resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
		};
		const limit = setTimeout(() => finish(false), maxMs);
		const armIdle = () => {
			clearTimeout(idle);
			idle = setTimeout(() => finish(false), idleMs);
		};
		socket.on('connect', () => {
			socket.write(payload);
			armIdle();
		});
		socket.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			armIdle();
		});
		socket.on('end', () => finish(true));
		socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? finish(true) : reject(error)));
	});
}

/** The status code of the first response in a raw reply, or 0. */
export function rawStatus(raw: RawExchange): number {
	const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw.text);
	return match ? Number(match[1]) : 0;
}

/** The error code of a TCP connection attempt to 127.0.0.1 ('' when it connects). */
export function connectError(port: number): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve('');
		});
		socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
	});
}

/** Whether nothing accepts connections on 127.0.0.1:port any more. */
export async function portIsClosed(port: number): Promise<boolean> {
	return (await connectError(port)) !== '';
}

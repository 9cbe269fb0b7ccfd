import * as net from 'node:net';
import WebSocket from 'ws';
import type { ServerMessage } from '../../server-core/reload/liveProtocol';
import { request } from './httpRequest';
import { waitFor } from './waitFor';

/** The token a browser would find in the injected script tag of a served page (it says what kind of page it is). */
export async function tokenFromPage(base: string, page = '/'): Promise<string> {
	const html = (await request(`${base}${page}`)).text;
	const match = /__live\/client\.js\?t=([^"&]+)/.exec(html);
	if (!match) throw new Error(`No live-reload script in ${page}`);
	return match[1]!;
}

export interface LiveClient {
	messages: ServerMessage[];
	/** Waits for the next message after the ones already seen by earlier calls. */
	next(timeoutMs?: number): Promise<ServerMessage>;
	close(): void;
	socket: WebSocket;
}

/** A raw WebSocket client speaking the browser client's protocol (hello with its page). */
export async function connectLiveClient(base: string, token: string, { page = '/', origin }: { page?: string; origin?: string } = {}): Promise<LiveClient> {
	const url = `${base.replace(/^http/, 'ws')}/__live/ws/${token}`;
	const socket = new WebSocket(url, origin === undefined ? {} : { origin });
	const messages: ServerMessage[] = [];
	socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
		socket.once('unexpected-response', (_req, res) => reject(new Error(`Upgrade refused with ${res.statusCode}`)));
	});
	socket.send(JSON.stringify({ type: 'hello', page }));
	let seen = 0;
	return {
		messages,
		socket,
		async next(timeoutMs = 5000) {
			await waitFor(() => messages.length > seen, { timeoutMs, what: 'a live-reload message' });
			return messages[seen++]!;
		},
		close: () => socket.close(),
	};
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when it was accepted. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve) => {
		const socket = new WebSocket(url, { headers });
		socket.once('open', () => {
			socket.close();
			resolve(101);
		});
		socket.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			socket.terminate();
		});
		socket.once('error', () => resolve(0));
	});
}

export interface RefusedUpgrade {
	/** Status code of the reply's status line (0 when none came). */
	status: number;
	/** True when the server closed its side completely, not only half-closed after writing the reply. */
	closedByServer: boolean;
}

/**
 * Sends a WebSocket handshake on a raw socket that keeps its own side open (allowHalfOpen), reads the reply, then
 * keeps writing (bounded) until the server's socket is gone: a socket the server only half-closed would take those
 * bytes forever, a destroyed one answers with a reset.
 */
export function refusedUpgrade(port: number, target: string, headers: Record<string, string> = {}, { maxMs = 2000 } = {}): Promise<RefusedUpgrade> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
		const chunks: Buffer[] = [];
		let probe: NodeJS.Timeout | undefined;
		const finish = (closedByServer: boolean) => {
			clearInterval(probe);
			clearTimeout(limit);
			socket.destroy();
			const match = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'));
			resolve({ status: match ? Number(match[1]) : 0, closedByServer });
		};
		const limit = setTimeout(() => finish(false), maxMs);
		socket.on('connect', () => {
			const all = { Host: `127.0.0.1:${port}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers };
			const lines = [`GET ${target} HTTP/1.1`, ...Object.entries(all).map(([name, value]) => `${name}: ${value}`)];
			socket.write(`${lines.join('\r\n')}\r\n\r\n`);
		});
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('end', () => {
			probe = setInterval(() => socket.write('x'), 20);
		});
		socket.on('error', () => finish(true));
		socket.on('close', () => finish(true));
	});
}

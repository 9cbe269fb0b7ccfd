import WebSocket from 'ws';
import type { ServerMessage } from '../../server-core/reload/liveProtocol';
import { request } from './httpRequest';
import { waitFor } from './waitFor';

/** The token a browser would find in the injected script tag of a served page. */
export async function tokenFromPage(base: string, page = '/'): Promise<string> {
	const html = (await request(`${base}${page}`)).text;
	const match = /__live\/client\.js\?t=([0-9a-f]+)/.exec(html);
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

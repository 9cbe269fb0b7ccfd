import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Disposable } from '../disposable';
import { refuseUpgrade } from '../http/httpServer';
import { isHostHeaderAllowed, isOriginAllowed, type HostPolicy } from '../http/hostCheck';
import type { BrowserConsoleMessage } from '../protocol/browserConsole';
import { documentsShownAt, type ReloadPlan } from './changeClassifier';
import { ConsoleRateLimit, parseConsoleMessage } from './consoleRelay';
import { ANY_DOCUMENT_SUFFIX, LIVE_PREFIX, LIVE_SOCKET_PREFIX, type ClientMessage, type ServerMessage } from './liveProtocol';

/** Clients that stop answering pings are dropped after this long (rude disconnects cost nothing for long). */
const HEARTBEAT_MS = 30_000;

interface Client {
	socket: WebSocket;
	/** Decoded location.pathname of the page, once the client said hello. */
	page: string | undefined;
	/** Not a file at its own URL (a listing, an error page, handler output...): any document change may alter it. */
	anyDocument: boolean;
	alive: boolean;
	/** Present when the console relay is on. */
	consoleLimit?: ConsoleRateLimit;
}

/** The live-reload WebSocket endpoint: one per served root, sharing the HTTP port through `upgrade`. */
export class ReloadHub implements Disposable {
	private readonly _wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false, clientTracking: false });
	private readonly _clients = new Set<Client>();
	private readonly _heartbeat: NodeJS.Timeout;

	constructor(
		private readonly _token: string,
		private readonly _hostPolicy: HostPolicy,
		/** Receives the pages' console messages (browser console relay); absent: they are ignored. */
		private readonly _onConsole?: (message: BrowserConsoleMessage) => void,
	) {
		this._heartbeat = setInterval(() => this._checkHeartbeats(), HEARTBEAT_MS);
		this._heartbeat.unref();
	}

	get clientCount(): number {
		return this._clients.size;
	}

	/** Pages currently connected (decoded paths), for status displays and tests. */
	get pages(): string[] {
		return [...this._clients].map((client) => client.page ?? '?');
	}

	/** Handles an HTTP upgrade if it targets the reserved prefix (refused unless it is the socket); false lets others try. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = req.url ?? '';
		if (!url.startsWith(LIVE_PREFIX)) return false;
		if (!url.startsWith(LIVE_SOCKET_PREFIX)) {
			refuseUpgrade(socket, 404);
			return true;
		}
		const socketToken = url.slice(LIVE_SOCKET_PREFIX.length).split('?')[0]!;
		const anyDocument = socketToken.endsWith(ANY_DOCUMENT_SUFFIX);
		const token = anyDocument ? socketToken.slice(0, -ANY_DOCUMENT_SUFFIX.length) : socketToken;
		const host = req.headers.host;
		if (token !== this._token || !isHostHeaderAllowed(host, this._hostPolicy) || !isOriginAllowed(req.headers.origin, this._hostPolicy, host)) {
			refuseUpgrade(socket, 403);
			return true;
		}
		this._wss.handleUpgrade(req, socket, head, (ws) => this._accept(ws, anyDocument));
		return true;
	}

	/** Sends each client what the plan means for the page it shows. */
	apply(plan: ReloadPlan): void {
		const documentChanged = plan.documents.length > 0;
		const showing = (client: Client) => !client.anyDocument && client.page !== undefined && documentsShownAt(client.page).some((doc) => plan.documents.includes(doc));
		// A changed page no file page shows may be fetched or framed by another one: then everyone reloads.
		const reloadAll = plan.reloadAll || (documentChanged && ![...this._clients].some(showing));
		const css: ServerMessage | undefined = plan.stylesheets.length > 0 ? { type: 'css', paths: plan.stylesheets } : undefined;
		for (const client of this._clients) {
			if (reloadAll || (client.anyDocument && documentChanged)) this._send(client, { type: 'reload' });
			// Its own document changed: an in-place update will do, unless stylesheets changed as well.
			else if (showing(client)) this._send(client, css ? { type: 'reload' } : { type: 'page' });
			else if (css) this._send(client, css);
		}
	}

	broadcast(message: ServerMessage): void {
		for (const client of this._clients) this._send(client, message);
	}

	dispose(): void {
		clearInterval(this._heartbeat);
		for (const client of this._clients) client.socket.terminate();
		this._clients.clear();
		this._wss.close();
	}

	private _accept(socket: WebSocket, anyDocument: boolean): void {
		const client: Client = { socket, page: undefined, anyDocument, alive: true };
		if (this._onConsole) client.consoleLimit = new ConsoleRateLimit();
		this._clients.add(client);
		socket.on('pong', () => (client.alive = true));
		socket.on('message', (data, isBinary) => {
			if (isBinary) return;
			const text = data.toString();
			client.page = parseHello(text) ?? client.page;
			if (client.consoleLimit) this._relayConsole(client.consoleLimit, text);
		});
		const forget = () => this._clients.delete(client);
		socket.on('close', forget);
		socket.on('error', forget);
	}

	private _relayConsole(limit: ConsoleRateLimit, text: string): void {
		let message: BrowserConsoleMessage | undefined;
		try {
			message = parseConsoleMessage(JSON.parse(text));
		} catch {
			return;
		}
		if (message === undefined || !limit.take()) return;
		const dropped = limit.takeDropped();
		if (dropped > 0) this._onConsole!({ ...message, level: 'warn', text: `… ${dropped} console message(s) from this page were dropped (rate limit).` });
		this._onConsole!(message);
	}

	private _send(client: Client, message: ServerMessage): void {
		if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
	}

	private _checkHeartbeats(): void {
		for (const client of this._clients) {
			if (!client.alive) {
				client.socket.terminate();
				this._clients.delete(client);
				continue;
			}
			client.alive = false;
			client.socket.ping();
		}
	}
}

function parseHello(text: string): string | undefined {
	try {
		const message = JSON.parse(text) as ClientMessage;
		return message.type === 'hello' && typeof message.page === 'string' ? message.page.slice(0, 2048) : undefined;
	} catch {
		return undefined;
	}
}

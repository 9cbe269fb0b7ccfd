import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestLogEntry } from '../protocol/requestLog';
import { SERVER_NAME } from '../version';
import { classifyClientError, clientErrorEntry } from './clientErrors';
import { renderErrorPage, statusPhrase, type ErrorDetails } from './errorPage';
import { sendContinueOnFirstRead } from './expectContinue';
import { answerAsPlainRequest, isWebSocketUpgrade } from './plainUpgrade';
import { hostHeaderProblem } from './requestHeaderCheck';
import { TrackedResponse } from './trackedResponse';

export interface HttpServerOptions {
	host: string;
	port: number;
	/** When false, a busy port moves on to the next ones (up to `portAttempts`). */
	portExplicit: boolean;
	portAttempts?: number;
	/** A client that has not sent complete headers by then gets 408 (slow clients cannot hold sockets forever). */
	headersTimeoutMs?: number;
	requestTimeoutMs?: number;
	keepAliveTimeoutMs?: number;
	maxHeaderSize?: number;
	/** Log entries for requests Node rejects before they reach the pipeline (malformed, oversized, timed out). */
	onClientError?: (entry: RequestLogEntry) => void;
	/** PEM certificate and key: serve HTTPS (same pipeline, same upgrade handlers) instead of HTTP. */
	tls?: { cert: string; key: string };
}

export interface ListeningAddress {
	host: string;
	port: number;
	/** `http://127.0.0.1:5500/` (`https://` with TLS), with IPv6 hosts bracketed. */
	url: string;
	/** The port first asked for, when it was busy and another was taken. */
	busyPort?: number;
}

export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export class PortInUseError extends Error {
	constructor(readonly port: number, readonly host: string) {
		super(`Port ${port} is already in use on ${host}.`);
	}
}

const DEFAULT_PORT_ATTEMPTS = 20;
/** How long in-flight responses may finish during shutdown before their sockets are cut. */
const CLOSE_GRACE_MS = 1000;

/** node:http with dev-server defaults: bounded timeouts, port fallback, tidy error replies, graceful close. */
export class HttpServer {
	readonly server: http.Server;
	private _address: ListeningAddress | undefined;
	private readonly _upgradeHandlers: UpgradeHandler[] = [];
	/** Responses under way: a shutdown makes each the last on its keep-alive connection. */
	private readonly _inFlight = new Set<http.ServerResponse>();
	private _closing = false;

	constructor(pipeline: http.RequestListener, private readonly _options: HttpServerOptions) {
		const handler: http.RequestListener = (req, res) => {
			this._track(res);
			pipeline(req, res);
		};
		const headersTimeout = _options.headersTimeoutMs ?? 10_000;
		const serverOptions: http.ServerOptions = {
			headersTimeout,
			requestTimeout: _options.requestTimeoutMs ?? 120_000,
			keepAliveTimeout: _options.keepAliveTimeoutMs ?? 5_000,
			maxHeaderSize: _options.maxHeaderSize ?? 16 * 1024,
			// The timeouts above are only checked this often.
			connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 4))),
			// Counts body bytes and keeps the written headers for the request log.
			ServerResponse: TrackedResponse as unknown as typeof http.ServerResponse,
			// The pipeline answers a missing Host with its own (logged) error page; Node's would be bare and unlogged.
			requireHostHeader: false,
		};
		// An https.Server is an http.Server on TLS sockets: same events, same request/response objects.
		this.server = _options.tls
			? (https.createServer({ ...serverOptions, cert: _options.tls.cert, key: _options.tls.key }, handler) as unknown as http.Server)
			: http.createServer(serverOptions, handler);
		this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this._onUpgrade(req, socket, head));
		// 100 Continue only when the body is read; expectations other than 100-continue get the pipeline's 417 page.
		this.server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
			sendContinueOnFirstRead(req, res);
			handler(req, res);
		});
		this.server.on('checkExpectation', handler);
		this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this._onClientError(error, socket));
		// CONNECT (proxy tunnelling) is not something a file server does; without a listener Node would just drop it.
		this.server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
			socket.end(rawErrorResponse(405, { Allow: 'GET, HEAD, OPTIONS' }));
		});
	}

	/** Adds a WebSocket (or other protocol) upgrade handler; the first that returns true owns the socket. */
	addUpgradeHandler(handler: UpgradeHandler): void {
		this._upgradeHandlers.push(handler);
	}

	get address(): ListeningAddress | undefined {
		return this._address;
	}

	/** Listens on the configured port, or, when it was not chosen explicitly, on the next free one. */
	async listen(): Promise<ListeningAddress> {
		const { host, portExplicit } = this._options;
		const attempts = portExplicit || this._options.port === 0 ? 1 : this._options.portAttempts ?? DEFAULT_PORT_ATTEMPTS;
		for (let attempt = 0; attempt < attempts; attempt++) {
			const port = this._options.port + attempt;
			if (port > 65535) break;
			try {
				await this._tryListen(port, host);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
				throw error;
			}
			const actual = (this.server.address() as AddressInfo).port;
			this._address = { host, port: actual, url: formatUrl(host, actual, this._options.tls ? 'https' : 'http') };
			if (attempt > 0) this._address.busyPort = this._options.port;
			return this._address;
		}
		throw new PortInUseError(this._options.port, host);
	}

	/** Stops accepting, lets in-flight responses finish briefly, then cuts what is left. Idempotent. */
	async close(): Promise<void> {
		if (!this.server.listening) return;
		this._closing = true;
		for (const res of this._inFlight) endConnectionAfter(res);
		this._inFlight.clear();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeIdleConnections();
		const grace = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS);
		grace.unref();
		await closed;
		clearTimeout(grace);
		this._address = undefined;
	}

	private _track(res: http.ServerResponse): void {
		if (this._closing) return endConnectionAfter(res);
		this._inFlight.add(res);
		res.once('close', () => this._inFlight.delete(res));
	}

	private _tryListen(port: number, host: string): Promise<void> {
		return new Promise((resolve, reject) => {
			const onError = (error: Error) => {
				this.server.off('listening', onListening);
				reject(error);
			};
			const onListening = () => {
				this.server.off('error', onError);
				resolve();
			};
			this.server.once('error', onError);
			this.server.once('listening', onListening);
			this.server.listen({ port, host });
		});
	}

	private _onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
		// Only WebSocket switches protocols here; `Upgrade: h2c` and the like are answered as ordinary requests.
		if (!isWebSocketUpgrade(req)) return answerAsPlainRequest(this.server, req, socket, head);
		socket.on('error', () => socket.destroy());
		try {
			const problem = hostHeaderProblem(req);
			if (problem !== undefined) {
				refuseUpgrade(socket, problem);
				return;
			}
			for (const handler of this._upgradeHandlers) {
				if (handler(req, socket, head)) return;
			}
			refuseUpgrade(socket, 404);
		} catch {
			socket.destroy();
		}
	}

	private _onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
		const code = error.code ?? 'UNKNOWN';
		if (code === 'ECONNRESET' || !socket.writable) {
			socket.destroy();
			return;
		}
		const report = classifyClientError(error);
		const body = renderErrorPage(report.details);
		this._options.onClientError?.(clientErrorEntry(report, (socket as Socket).remoteAddress, Buffer.byteLength(body)));
		socket.end(rawErrorResponse(report.details.code, {}, report.details));
	}
}

/**
 * Answers an upgrade that is not taken with a short error response, then destroys the socket once it is written:
 * the server's sockets allow half-open connections, so `end()` alone would keep it open until the client closes.
 */
export function refuseUpgrade(socket: Duplex, error: number | ErrorDetails): void {
	const details = typeof error === 'number' ? { code: error } : error;
	socket.end(rawErrorResponse(details.code, {}, details), () => socket.destroy());
}

/** A complete HTTP/1.1 error response for sockets that never became a request/response pair. */
export function rawErrorResponse(status: number, extraHeaders: Record<string, string> = {}, details: ErrorDetails = { code: status }): string {
	const body = renderErrorPage(details);
	const headers = {
		Server: SERVER_NAME,
		Date: new Date().toUTCString(),
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(body)),
		Connection: 'close',
		...extraHeaders,
	};
	const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n');
	return `HTTP/1.1 ${status} ${statusPhrase(status)}\r\n${head}\r\n\r\n${body}`;
}

export function formatUrl(host: string, port: number, scheme: 'http' | 'https' = 'http'): string {
	const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	return `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;
}

/**
 * Node keeps serving further requests on a closed server's busy keep-alive connections (only idle ones are closed),
 * so a page could still load from a server that has stopped. The response says `Connection: close` if it can and
 * its connection ends once it is written.
 */
function endConnectionAfter(res: http.ServerResponse): void {
	if (!res.headersSent) res.shouldKeepAlive = false;
	const socket = res.socket; // Node detaches it from the response when the response finishes
	res.once('finish', () => socket?.end());
}

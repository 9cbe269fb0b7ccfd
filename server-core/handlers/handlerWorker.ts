// Entry of the handler worker process (bundled separately as dist/handlerWorker.js, started with
// child_process.fork). It imports compiled handler modules and answers the requests the server proxies to it over
// a private loopback HTTP server, so request and response bodies stream both ways and an aborted client aborts
// `request.signal`. Whatever a handler does here (a busy loop, a crash, exhausting memory, native code failing)
// can end only this process; the server kills it on a timeout and starts another.
import * as http from 'node:http';
import { setTimeout } from 'node:timers';
import { hasAnyHandler, pickHandler } from './handlerExports';
import { startParentWatchdog } from './parentWatchdog';
import { Buffer } from 'node:buffer';
import { HandlerResultError, toResponse } from './handlerResult';
import { toWebRequest, writeResponse } from './responseAdapter';
import type { HandlerContext, HandlerEnv, HandlerModule } from './types';
import { installProcessGuards } from './workerGuards';
import { freeze, jsonParse, jsonStringify, safeDecodeURIComponent, SafeAbortController, SafeError, SafeTypeError } from './workerIntrinsics';
import {
	CLIENT_HEADER, FAILURE_HEADER, METHOD_HEADER, MODULE_HEADER, OWN_HEAD_HEADER, PARAMS_HEADER, ROUTE_HEADER, TOKEN_HEADER, trimStack, URL_HEADER,
	type HandlerFailure, type ServerMessage, type WorkerMessage, type WorkerStartData,
} from './workerProtocol';

const parentPid = process.ppid;
const exit = installProcessGuards(parentPid);
const send = process.send!.bind(process) as (message: WorkerMessage, callback?: (error: Error | null) => void) => boolean;

// No server any more (it stopped, or died): nothing will ever call this process again.
process.once('disconnect', () => exit(0));

process.on('uncaughtException', (error) => {
	// The stack goes to the server (error page and log) before this process ends: its state is unknown now.
	const crash = describeThrown(error, () => '');
	setTimeout(() => exit(1), 1000).unref();
	try {
		send({ type: 'crash', ...crash }, () => exit(1));
	} catch {
		exit(1);
	}
});

const modules = new Map<string, Promise<HandlerModule>>();

function load(moduleUrl: string): Promise<HandlerModule> {
	let loaded = modules.get(moduleUrl);
	if (loaded === undefined) {
		loaded = import(moduleUrl) as Promise<HandlerModule>;
		modules.set(moduleUrl, loaded);
	}
	return loaded;
}

function header(req: http.IncomingMessage, name: string): string {
	const value = req.headers[name];
	return typeof value === 'string' ? value : '';
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, env: HandlerEnv): Promise<void> {
	// The method the handler sees; the body goes out as the wire method says (a HEAD sent as GET gets its body).
	const wireMethod = req.method ?? 'GET';
	const method = header(req, METHOD_HEADER) || wireMethod;
	const controller = new SafeAbortController();
	res.once('close', () => {
		if (!res.writableFinished) controller.abort(new SafeError('The client closed the connection.'));
	});
	let phase: HandlerFailure['phase'] = 'import';
	try {
		const mod = await load(header(req, MODULE_HEADER));
		if (!hasAnyHandler(mod)) throw new SafeTypeError('The module exports no handler: export a default function, or functions named GET, POST, PUT, DELETE, PATCH, OPTIONS or HEAD.');
		phase = 'internal';
		const picked = pickHandler(mod, method);
		if ('allow' in picked) {
			// OPTIONS without an export is answered here (as Next.js does); any other missing method is a 405.
			res.writeHead(method === 'OPTIONS' ? 204 : 405, { Allow: picked.allow, 'Content-Length': 0 });
			res.end();
			return;
		}
		const context: HandlerContext = {
			params: freeze(jsonParse(safeDecodeURIComponent(header(req, PARAMS_HEADER) || '%7B%7D')) as Record<string, string>),
			clientAddress: header(req, CLIENT_HEADER),
			route: safeDecodeURIComponent(header(req, ROUTE_HEADER)),
			env,
		};
		const request = toWebRequest(req, method, header(req, URL_HEADER), controller.signal);
		phase = 'handler';
		const result = await picked.handler(request, context);
		phase = 'result';
		if (method === 'HEAD' && method !== wireMethod && picked.handler !== mod.GET) res.setHeader(OWN_HEAD_HEADER, '1');
		await writeResponse(res, toResponse(result), wireMethod);
	} catch (error) {
		// The client left (and the handler gave up because of it): nobody is waiting for an error page.
		if (controller.signal.aborted) return void res.destroy();
		// Not the handler's code nor its value: the worker's own machinery failed (the handler may have broken it).
		if (phase === 'internal' || (phase === 'result' && !(error instanceof HandlerResultError))) {
			phase = 'internal';
			reportUnhealthy(error);
		}
		fail(res, phase, error);
	}
}

function fail(res: http.ServerResponse, phase: HandlerFailure['phase'], error: unknown): void {
	if (res.headersSent) {
		// The body was streaming when it failed: cutting the connection is the only honest signal left.
		res.destroy(error instanceof SafeError ? error : new SafeError(safeString(error)));
		return;
	}
	const failure: HandlerFailure = { phase, ...describeThrown(error, (thrown) => `${thrown.name}: ${thrown.message}`) };
	const body = jsonStringify(failure);
	res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [FAILURE_HEADER]: '1' });
	res.end(body);
}

/** What the server is told of a thrown value; `stackless` stands in for the stack of an Error that has none. */
function describeThrown(error: unknown, stackless: (error: Error) => string): { name: string; message: string; stack: string } {
	return error instanceof SafeError
		? { name: error.name, message: error.message, stack: trimStack(error.stack ?? stackless(error), __filename) }
		: { name: 'Error', message: `A non-Error value was thrown: ${safeString(error)}`, stack: '' };
}

/** Asks the server to replace this worker (requests in flight finish first): its state can no longer be trusted. */
function reportUnhealthy(error: unknown): void {
	try {
		send({ type: 'unhealthy', reason: error instanceof SafeError ? `${error.name}: ${error.message}` : safeString(error) });
	} catch {
		// The channel is gone: the worker exits on 'disconnect' anyway.
	}
}

function safeString(value: unknown): string {
	try {
		return typeof value === 'string' ? jsonStringify(value) : `${value as string}`;
	} catch {
		return typeof value;
	}
}

/**
 * Node loads fetch (undici) and the ESM loader lazily: tens of milliseconds in a fresh process. A spare worker pays
 * that before it reports ready, so the first request after a save does not.
 */
async function warmUp(): Promise<void> {
	const request = new Request('http://127.0.0.1/', { method: 'POST', body: 'warm', headers: { 'X-Warm': '1' }, duplex: 'half' } as RequestInit);
	await request.text();
	await toResponse({ warm: true }).text();
	const warmModule: string = 'data:text/javascript,export default 1';
	await import(warmModule);
}

function serve(start: WorkerStartData): void {
	const env: HandlerEnv = freeze({ root: start.root, handlersDir: start.handlersDir, mode: 'development' as const });
	const server = http.createServer((req, res) => {
		if (req.headers[TOKEN_HEADER] !== start.token) {
			res.writeHead(403, { 'Content-Length': 0 });
			res.end();
			return;
		}
		if (req.headers[MODULE_HEADER] === undefined) {
			// A ping from the server: opens the keep-alive connection and warms the request path.
			res.writeHead(204);
			res.end();
			return;
		}
		handle(req, res, env).catch((error: unknown) => {
			// Even the error report failed: cut the connection, and let the server start a fresh worker.
			reportUnhealthy(error);
			res.destroy();
		});
	});
	// Timeouts are the server's job (504 and a fresh worker); idle proxy sockets stay open for reuse.
	server.keepAliveTimeout = 0;
	server.headersTimeout = 0;
	server.requestTimeout = 0;
	void warmUp().finally(() => {
		server.listen(0, '127.0.0.1', () => {
			send({ type: 'ready', port: (server.address() as { port: number }).port });
			// After 'ready': its thread's start-up is not on the way to the first request (no handler runs before).
			startParentWatchdog(parentPid);
		});
	});
}

// Source maps of compiled handlers: stacks name the .ts file and line.
process.setSourceMapsEnabled(true);
process.once('message', (message: ServerMessage) => {
	if (message.type === 'start') serve(message.data);
});

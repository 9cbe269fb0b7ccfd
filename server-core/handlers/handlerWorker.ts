// Entry of the handler worker thread (bundled separately as dist/handlerWorker.js). It imports compiled handler
// modules and answers the requests the main thread proxies to it over a private loopback HTTP server, so request
// and response bodies stream both ways and an aborted client aborts `request.signal`.
import * as http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { toResponse, toWebRequest, writeResponse } from './responseAdapter';
import { HANDLER_METHODS, type Handler, type HandlerContext, type HandlerMethod, type HandlerModule } from './types';
import {
	CLIENT_HEADER, FAILURE_HEADER, MODULE_HEADER, PARAMS_HEADER, ROUTE_HEADER, TOKEN_HEADER, trimStack, URL_HEADER,
	type HandlerFailure, type WorkerMessage, type WorkerStartData,
} from './workerProtocol';

const start = workerData as WorkerStartData;
const env = Object.freeze({ root: start.root, handlersDir: start.handlersDir, mode: 'development' as const });

/** Handler code shares this thread's `process`: stop it from ending the server's process or the worker by accident. */
class HandlerExitError extends Error {
	constructor(code: unknown) {
		super(`process.exit(${code === undefined ? '' : String(code)}) was called by handler code. Handlers cannot stop the server; throw an error or return a Response instead.`);
		this.name = 'HandlerExitError';
	}
}
process.exit = ((code?: number) => {
	throw new HandlerExitError(code);
}) as typeof process.exit;
const kill = process.kill.bind(process);
process.kill = ((pid: number, signal?: string | number) => {
	if (pid === process.pid || pid === 0 || pid === -process.pid) throw new Error('Handlers may not send signals to the server process.');
	return kill(pid, signal);
}) as typeof process.kill;

const modules = new Map<string, Promise<HandlerModule>>();

function load(moduleUrl: string): Promise<HandlerModule> {
	let loaded = modules.get(moduleUrl);
	if (loaded === undefined) {
		loaded = import(moduleUrl) as Promise<HandlerModule>;
		modules.set(moduleUrl, loaded);
	}
	return loaded;
}

type Picked = { handler: Handler } | { allow: string };

/** Named export for the method, HEAD -> GET, then the default export; otherwise the methods that would work. */
function pickHandler(mod: HandlerModule, method: string): Picked {
	const named = (HANDLER_METHODS as readonly string[]).includes(method) ? mod[method as HandlerMethod] : undefined;
	if (typeof named === 'function') return { handler: named };
	if (method === 'HEAD' && typeof mod.GET === 'function') return { handler: mod.GET };
	const fallback = defaultHandler(mod);
	if (fallback !== undefined && (HANDLER_METHODS as readonly string[]).includes(method)) return { handler: fallback };
	return { allow: allowedMethods(mod).join(', ') };
}

function defaultHandler(mod: HandlerModule): Handler | undefined {
	const value = mod.default;
	if (typeof value === 'function') return value;
	if (value !== null && typeof value === 'object' && typeof value.fetch === 'function') return value.fetch.bind(value);
	return undefined;
}

function allowedMethods(mod: HandlerModule): HandlerMethod[] {
	if (defaultHandler(mod) !== undefined) return [...HANDLER_METHODS];
	const methods = HANDLER_METHODS.filter((method) => typeof mod[method] === 'function');
	if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
	if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
	return methods;
}

function hasAnyHandler(mod: HandlerModule): boolean {
	return defaultHandler(mod) !== undefined || HANDLER_METHODS.some((method) => typeof mod[method] === 'function');
}

function header(req: http.IncomingMessage, name: string): string {
	const value = req.headers[name];
	return typeof value === 'string' ? value : '';
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
	const method = req.method ?? 'GET';
	const controller = new AbortController();
	res.once('close', () => {
		if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
	});
	let phase: HandlerFailure['phase'] = 'import';
	try {
		const mod = await load(header(req, MODULE_HEADER));
		if (!hasAnyHandler(mod)) throw new TypeError('The module exports no handler: export a default function, or functions named GET, POST, PUT, DELETE, PATCH, OPTIONS or HEAD.');
		const picked = pickHandler(mod, method);
		if ('allow' in picked) {
			// OPTIONS without an export is answered here (as Next.js does); any other missing method is a 405.
			res.writeHead(method === 'OPTIONS' ? 204 : 405, { Allow: picked.allow, 'Content-Length': 0 });
			res.end();
			return;
		}
		phase = 'handler';
		const context: HandlerContext = {
			params: Object.freeze(JSON.parse(decodeURIComponent(header(req, PARAMS_HEADER) || '%7B%7D')) as Record<string, string>),
			clientAddress: header(req, CLIENT_HEADER),
			route: decodeURIComponent(header(req, ROUTE_HEADER)),
			env,
		};
		const result = await picked.handler(toWebRequest(req, header(req, URL_HEADER), controller.signal), context);
		phase = 'result';
		await writeResponse(res, toResponse(result), method);
	} catch (error) {
		// The client left (and the handler gave up because of it): nobody is waiting for an error page.
		if (controller.signal.aborted) return void res.destroy();
		fail(res, phase, error);
	}
}

function fail(res: http.ServerResponse, phase: HandlerFailure['phase'], error: unknown): void {
	if (res.headersSent) {
		// The body was streaming when it failed: cutting the connection is the only honest signal left.
		res.destroy(error instanceof Error ? error : new Error(String(error)));
		return;
	}
	const failure: HandlerFailure = error instanceof Error
		? { phase, name: error.name, message: error.message, stack: trimStack(error.stack ?? `${error.name}: ${error.message}`, __filename) }
		: { phase, name: 'Error', message: `A non-Error value was thrown: ${safeString(error)}`, stack: '' };
	const body = JSON.stringify(failure);
	res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [FAILURE_HEADER]: '1' });
	res.end(body);
}

function safeString(value: unknown): string {
	try {
		return typeof value === 'string' ? JSON.stringify(value) : String(value);
	} catch {
		return typeof value;
	}
}

/**
 * Node loads fetch (undici) and the ESM loader lazily: tens of milliseconds in a fresh thread. A spare worker pays
 * that before it reports ready, so the first request after a save does not.
 */
async function warmUp(): Promise<void> {
	const request = new Request('http://127.0.0.1/', { method: 'POST', body: 'warm', headers: { 'X-Warm': '1' }, duplex: 'half' } as RequestInit);
	await request.text();
	await toResponse({ warm: true }).text();
	const warmModule: string = 'data:text/javascript,export default 1';
	await import(warmModule);
}

const server = http.createServer((req, res) => {
	if (req.headers[TOKEN_HEADER] !== start.token) {
		res.writeHead(403, { 'Content-Length': 0 });
		res.end();
		return;
	}
	if (req.headers[MODULE_HEADER] === undefined) {
		// A ping from the main thread: opens the keep-alive connection and warms the request path.
		res.writeHead(204);
		res.end();
		return;
	}
	handle(req, res).catch(() => res.destroy());
});
// Timeouts are the main thread's job (504 and a fresh worker); idle proxy sockets stay open for reuse.
server.keepAliveTimeout = 0;
server.headersTimeout = 0;
server.requestTimeout = 0;
void warmUp().finally(() => {
	server.listen(0, '127.0.0.1', () => {
		const message: WorkerMessage = { type: 'ready', port: (server.address() as { port: number }).port };
		parentPort!.postMessage(message);
	});
});

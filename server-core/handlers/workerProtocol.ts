/**
 * The private contract between the server process (handlerHost, handlerProxy) and the handler worker process
 * (handlerWorker): IPC messages and the internal headers on proxied requests. Never seen by users.
 */

/** Sent over IPC as the first message (not on the command line, where other local users could read the token). */
export interface WorkerStartData {
	/** Required in `TOKEN_HEADER` on every request: other local processes cannot call the worker's port. */
	token: string;
	root: string;
	handlersDir: string;
}

/** Server -> worker. */
export type ServerMessage = { type: 'start'; data: WorkerStartData };

/** Worker -> server. */
export type WorkerMessage =
	| { type: 'ready'; port: number }
	/** An uncaught exception is about to end the worker: the stack for the error page and the log. */
	| { type: 'crash'; name: string; message: string; stack: string }
	/** The worker's own code failed (a handler may have broken something it relies on): replace it. */
	| { type: 'unhealthy'; reason: string };

/** Internal headers on main -> worker requests (stripped from client requests first; never shown to handlers). */
export const INTERNAL_HEADER_PREFIX = 'x-lds-';
export const TOKEN_HEADER = 'x-lds-token';
/** `file:` URL of the compiled module to import. */
export const MODULE_HEADER = 'x-lds-module';
/** Route pattern, e.g. `/api/users/:id` (percent-encoded). */
export const ROUTE_HEADER = 'x-lds-route';
/** Route params as percent-encoded JSON. */
export const PARAMS_HEADER = 'x-lds-params';
export const CLIENT_HEADER = 'x-lds-client';
/**
 * The request's real method when it differs from the one on the wire: a HEAD is sent as GET when the server
 * transforms HTML, so the worker sends the body it needs to compute HEAD's Content-Length.
 */
export const METHOD_HEADER = 'x-lds-method';
/**
 * Worker -> main: a HEAD sent as GET was answered by the module's own HEAD (or default) export, so the body is not
 * the GET's and says nothing about the GET's Content-Length.
 */
export const OWN_HEAD_HEADER = 'x-lds-own-head';
/** The URL the browser asked for (`http://host/path?query`, percent-encoded), so `request.url` is the real one. */
export const URL_HEADER = 'x-lds-url';

/**
 * Worker -> main: set on a 500 whose JSON body is a `HandlerFailure` (a throw, a bad return value, a failed import).
 * The worker removes any header with the internal prefix from handler responses, so a handler cannot fake it.
 */
export const FAILURE_HEADER = 'x-lds-failure';

export interface HandlerFailure {
	/**
	 * Where it failed: importing the module (top-level code), running the handler, turning its result into a
	 * response, or in the worker's own code (then the worker is being replaced).
	 */
	phase: 'import' | 'handler' | 'result' | 'internal';
	name: string;
	message: string;
	/** Source-mapped (`.ts` file and line), without the server's own frames. */
	stack: string;
}

/** Removes frames that belong to the worker itself or to Node internals: users want their own code. */
export function trimStack(stack: string, workerFile: string): string {
	return stack
		.split('\n')
		.filter((line) => !(/^\s+at /.test(line) && (line.includes(workerFile) || line.includes('handlerWorker.') || line.includes('node:internal') || line.includes('(native)'))))
		.join('\n');
}

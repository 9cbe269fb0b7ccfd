import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Exchange } from '../http/exchange';
import { BufferDeadlineError, bufferUpTo, MAX_TRANSFORM_BYTES, relayBody } from '../http/relayBody';
import { SERVER_NAME } from '../version';
import { sendGeneratedHtml } from '../http/sendBody';
import { renderHandlerErrorPage, type HandlerErrorDetails } from './errorPage';
import type { RouteMatch } from './router';
import type { WorkerGeneration } from './workerGeneration';
import {
	CLIENT_HEADER, FAILURE_HEADER, INTERNAL_HEADER_PREFIX, METHOD_HEADER, MODULE_HEADER, OWN_HEAD_HEADER, PARAMS_HEADER, ROUTE_HEADER, TOKEN_HEADER, URL_HEADER,
	type HandlerFailure,
} from './workerProtocol';

const FAILURE_EXPLANATIONS: Record<HandlerFailure['phase'], string> = {
	import: 'The handler module failed while loading (its top-level code threw, or it exports no handler).',
	handler: 'The handler threw an exception (or returned a promise that rejected).',
	result: 'The handler returned a value that cannot be turned into a response.',
	internal: 'The handler worker failed in its own code (a handler may have changed something it relies on, such as a built-in prototype). It is being replaced: reload to run in a fresh worker.',
};

const TIMEOUT_NOTE = 'The timeout counts from the end of the request body and is configurable (--handler-timeout, liveDevServer.handlers.timeoutMs).';

/** How long to wait for a dying worker to say why it died, so the error page can tell. */
const EXIT_REASON_WAIT_MS = 1000;

/** Hop-by-hop headers (RFC 9110 §7.6.1) and ones this hop consumes: never forwarded in either direction. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'expect']);

export interface ProxyTarget {
	generation: WorkerGeneration;
	moduleUrl: string;
	match: RouteMatch;
	file: string;
	root: string;
	compileMs: number | undefined;
	timeoutMs: number;
	/** Called when the handler did not answer in time: the generation must be replaced. */
	onTimeout(generation: WorkerGeneration): void;
}

/**
 * Sends one exchange to the worker over loopback HTTP and relays the answer: the request body streams in, the
 * response streams out, a client that leaves aborts the handler, a handler that takes longer than the timeout
 * gets a 504 (and its worker is replaced). Resolves when the exchange is over, whatever happened.
 */
export function proxyToWorker(exchange: Exchange, target: ProxyTarget): Promise<void> {
	const { req, res } = exchange;
	const { generation } = target;
	const started = performance.now();
	return new Promise<void>((resolve) => {
		let settled = false;
		const finish = () => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			generation.end();
			resolve();
		};
		const upstream = http.request({
			host: '127.0.0.1',
			port: generation.port,
			method: headAsGet(exchange) ? 'GET' : req.method,
			path: '/',
			headers: forwardedHeaders(exchange, target, generation.token),
			agent: generation.agent,
		});
		const timer = setTimeout(() => {
			upstream.destroy();
			exchange.error = `The handler did not respond within ${target.timeoutMs} ms; its worker was replaced.`;
			sendHandlerError(exchange, target, {
				status: 504,
				message: `The handler did not respond within ${formatMs(target.timeoutMs)}.`,
				explain: `It may wait for something that never happens, or loop forever. Its worker was stopped and replaced, so the next request runs in a fresh one. ${TIMEOUT_NOTE}`,
			});
			target.onTimeout(generation);
			finish();
		}, target.timeoutMs);
		// The time a client takes to upload is not the handler's: the deadline restarts with each chunk of the
		// request body, so it counts from the last byte received (a handler that stops reading still times out).
		const onBodyProgress = () => {
			if (!settled) timer.refresh();
		};
		req.on('data', onBodyProgress);
		req.once('end', onBodyProgress);

		res.once('close', () => {
			if (!res.writableFinished) upstream.destroy();
			finish();
		});
		upstream.on('response', (upstreamRes) => {
			clearTimeout(timer);
			req.off('data', onBodyProgress);
			relayResponse(exchange, target, upstreamRes, performance.now() - started)
				.catch((error: unknown) => {
					if (res.headersSent) return void res.destroy();
					exchange.error = `Invalid answer from the handler worker: ${(error as Error).message}`;
					sendHandlerError(exchange, target, { status: 502, message: exchange.error, explain: 'This is a bug in Live Dev Server, not in your handler.' });
				})
				.finally(finish);
		});
		upstream.on('error', (error) => {
			if (settled || res.writableEnded) return;
			if (res.headersSent) {
				exchange.error = 'The handler worker stopped in the middle of the response.';
				res.destroy();
				return;
			}
			// The answer is due within EXIT_REASON_WAIT_MS now, whatever the handler timeout says.
			clearTimeout(timer);
			void workerFailure(generation, error).then((what) => {
				if (settled || res.headersSent) return;
				exchange.error = `The handler worker ${what}`;
				sendHandlerError(exchange, target, {
					status: 500,
					message: `The handler's worker ${what}.`,
					explain: 'Static files kept being served. A new worker starts with the next request: reload to try again.',
					stack: generation.crash?.stack,
				});
				finish();
			});
		});
		req.pipe(upstream);
	});
}

function forwardedHeaders(exchange: Exchange, target: ProxyTarget, token: string): http.OutgoingHttpHeaders {
	const { req } = exchange;
	const headers: http.OutgoingHttpHeaders = {};
	const connectionTokens = String(req.headers.connection ?? '').toLowerCase().split(',').map((token) => token.trim());
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined || HOP_HEADERS.has(name) || connectionTokens.includes(name) || name.startsWith(INTERNAL_HEADER_PREFIX)) continue;
		headers[name] = value;
	}
	headers[TOKEN_HEADER] = token;
	headers[MODULE_HEADER] = target.moduleUrl;
	headers[ROUTE_HEADER] = encodeURIComponent(target.match.route.pattern);
	headers[PARAMS_HEADER] = encodeURIComponent(JSON.stringify(target.match.params));
	headers[CLIENT_HEADER] = req.socket.remoteAddress ?? '';
	headers[URL_HEADER] = publicUrl(exchange);
	if (headAsGet(exchange)) headers[METHOD_HEADER] = 'HEAD';
	return headers;
}

/** HEAD of HTML must show the Content-Length of the transformed GET: the worker sends the body, this hop drops it. */
function headAsGet(exchange: Exchange): boolean {
	return exchange.req.method === 'HEAD' && exchange.htmlTransform !== undefined;
}

/** The URL the browser used, as `request.url` should show it (ASCII, so it is a valid header value). */
function publicUrl(exchange: Exchange): string {
	const { req } = exchange;
	const local = `127.0.0.1:${req.socket.localPort ?? 80}`;
	for (const host of [req.headers.host, local]) {
		try {
			return new URL(`http://${host}${exchange.pathname}${exchange.search}`).href;
		} catch {
			// Not a usable authority: try the next.
		}
	}
	return `http://${local}/`;
}

async function relayResponse(exchange: Exchange, target: ProxyTarget, upstreamRes: http.IncomingMessage, handlerMs: number): Promise<void> {
	if (upstreamRes.headers[FAILURE_HEADER] !== undefined) {
		const failure = JSON.parse(Buffer.concat((await bufferUpTo(upstreamRes, MAX_TRANSFORM_BYTES)).chunks).toString('utf8')) as HandlerFailure;
		exchange.error = `${failure.name}: ${failure.message}`;
		return sendHandlerError(exchange, target, {
			status: 500,
			message: `${failure.name}: ${failure.message}`,
			explain: FAILURE_EXPLANATIONS[failure.phase] ?? FAILURE_EXPLANATIONS.internal,
			stack: failure.stack,
		});
	}
	const status = upstreamRes.statusCode ?? 502;
	const headers = relayedHeaders(upstreamRes, target, handlerMs);
	let upstreamBroken = false;
	upstreamRes.once('aborted', () => (upstreamBroken = true));
	upstreamRes.once('error', () => (upstreamBroken = true));
	try {
		// HTML gets the live-reload script (buffered up to a limit, and for at most the handler timeout);
		// everything else streams untouched.
		// A HEAD answered by the module's own HEAD export carries no GET body to measure.
		const headFromGet = headAsGet(exchange) && upstreamRes.headers[OWN_HEAD_HEADER] === undefined;
		await relayBody(exchange, status, headers, upstreamRes, upstreamRes.statusMessage, { bufferDeadlineMs: target.timeoutMs, headFromGet });
	} catch (error) {
		if (error instanceof BufferDeadlineError) {
			// Ends the exchange with the worker: the handler's stream is cancelled and request.signal aborts.
			upstreamRes.destroy();
			exchange.error = `The handler did not finish its HTML body within ${target.timeoutMs} ms.`;
			return sendHandlerError(exchange, target, {
				status: 504,
				message: `The handler did not finish its HTML body within ${formatMs(target.timeoutMs)}.`,
				explain: `HTML from handlers is buffered to add the live-reload script, so its body must end. To stream HTML (or send it slowly on purpose), set the response header Cache-Control: no-transform. ${TIMEOUT_NOTE}`,
			});
		}
		// A client that left is already in the request log; a worker that broke off the body is worth saying.
		if (!upstreamBroken) return;
		exchange.error = `The handler's response stream failed: ${(error as Error).message}`;
		if (!exchange.res.headersSent) {
			sendHandlerError(exchange, target, {
				status: 502,
				message: "The handler's response broke off before its body was complete.",
				explain: target.generation.exitReason ? `Its worker stopped: ${target.generation.exitReason}.` : 'The handler\'s body stream failed, or the worker stopped.',
			});
		}
	}
}

function relayedHeaders(upstreamRes: http.IncomingMessage, target: ProxyTarget, handlerMs: number): http.OutgoingHttpHeaders {
	const headers: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(upstreamRes.headers)) {
		if (value === undefined || HOP_HEADERS.has(name) || name.startsWith(INTERNAL_HEADER_PREFIX) || name === 'date') continue;
		headers[name] = value;
	}
	// Visible in the browser's network panel: what the server spent compiling and running the handler.
	const timing = [`handler;dur=${handlerMs.toFixed(1)}`];
	if (target.compileMs !== undefined) timing.unshift(`compile;dur=${target.compileMs.toFixed(1)}`);
	headers['server-timing'] = [headers['server-timing'], timing.join(', ')].filter(Boolean).join(', ');
	headers['server'] ??= SERVER_NAME;
	return headers;
}

export function sendHandlerError(
	exchange: Exchange,
	target: Pick<ProxyTarget, 'match' | 'file' | 'root'>,
	details: Omit<HandlerErrorDetails, 'root' | 'route' | 'file'>,
): void {
	if (exchange.res.headersSent) {
		exchange.res.destroy();
		return;
	}
	const html = renderHandlerErrorPage({ ...details, root: target.root, route: target.match.route.pattern, file: target.file });
	sendGeneratedHtml(exchange, details.status, html, { 'Cache-Control': 'no-store' });
}

/** Why the worker connection failed: it is dying (and why), it broke, or else the socket error. */
async function workerFailure(generation: WorkerGeneration, error: Error): Promise<string> {
	const timeout = new Promise<string>((resolve) => setTimeout(() => resolve(`could not be reached (${error.message})`), EXIT_REASON_WAIT_MS).unref());
	return Promise.race([
		generation.exited.then((reason) => `stopped: ${reason}`),
		generation.unhealthy.then((reason) => `failed in its own code (${reason}) and is being replaced`),
		timeout,
	]);
}

function formatMs(ms: number): string {
	return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

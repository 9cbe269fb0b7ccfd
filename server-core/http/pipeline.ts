import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequestTarget, type Exchange, type HtmlTransform } from './exchange';
import { isHostHeaderAllowed, type HostPolicy } from './hostCheck';
import { expectationProblem, hostHeaderProblem } from './requestHeaderCheck';
import { trackExchange, type RequestLogSink } from './requestLogger';
import { sendErrorPage, writeHead } from './sendBody';
import type { StaticFiles } from './staticFiles';

/** A stage that may answer a request (live-reload endpoint, handlers, proxy...). Returns true when it answered. */
export type RequestStage = (exchange: Exchange) => boolean | Promise<boolean>;

export interface PipelineOptions {
	hostPolicy: HostPolicy;
	staticFiles: StaticFiles;
	/** Stages tried in order before static files. */
	stages?: readonly RequestStage[];
	htmlTransform?: HtmlTransform;
	onRequestLogged?: RequestLogSink;
	/** Whether log entries carry the request and response headers. */
	logHeaders?: boolean;
}

/** Methods RFC 9110 defines: a static file answers these with 405 and `Allow`; anything else is 501. */
const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
export const STATIC_ALLOW = 'GET, HEAD, OPTIONS';

/**
 * The request pipeline: host check → stages (live reload, handlers) → static files.
 * Every exchange is logged once and every failure becomes an error page; nothing escapes to crash the server.
 */
export function createPipeline(options: PipelineOptions): (req: IncomingMessage, res: ServerResponse) => void {
	const stages = options.stages ?? [];
	const trackOptions = { includeHeaders: options.logHeaders ?? true };
	return (req, res) => {
		const target = parseRequestTarget(req.url);
		const exchange: Exchange = {
			req,
			res,
			pathname: target?.pathname ?? '/',
			urlPath: target?.pathname ?? '/',
			search: target?.search ?? '',
			htmlTransform: options.htmlTransform,
			source: 'error',
		};
		if (options.onRequestLogged) trackExchange(exchange, options.onRequestLogged, trackOptions);
		try {
			const pending = handle(exchange, target !== undefined, options, stages);
			if (pending !== undefined) pending.catch((error: unknown) => failExchange(exchange, error));
		} catch (error) {
			failExchange(exchange, error);
		}
	};
}

/** Synchronous until something has to wait (a stage, or an uncached file), so cached files cost no promise. */
function handle(exchange: Exchange, hasPathTarget: boolean, options: PipelineOptions, stages: readonly RequestStage[]): void | Promise<void> {
	const { req } = exchange;
	const problem = hostHeaderProblem(req) ?? expectationProblem(req);
	// The framing of what follows on this connection is in doubt (a body the client holds back): close it.
	if (problem !== undefined) return sendErrorPage(exchange, problem, { Connection: 'close' });
	if (!isHostHeaderAllowed(req.headers.host, options.hostPolicy)) {
		return sendErrorPage(exchange, {
			code: 403,
			message: `Blocked request: the host "${req.headers.host}" is not allowed.`,
			explain: 'Only loopback names, IP addresses and configured hosts may reach this server (protection against DNS rebinding). Add the host to the allowed hosts setting (--allow-host) to permit it.',
		});
	}
	if (!hasPathTarget) {
		if (req.method === 'OPTIONS' && req.url === '*') return sendNoContent(exchange, STATIC_ALLOW);
		return sendErrorPage(exchange, { code: 400, message: 'Malformed request target' });
	}
	return runStages(exchange, options, stages, 0);
}

/** Tries the stages in order, staying synchronous for as long as they answer synchronously. */
function runStages(exchange: Exchange, options: PipelineOptions, stages: readonly RequestStage[], from: number): void | Promise<void> {
	for (let index = from; index < stages.length; index++) {
		const answered = stages[index]!(exchange);
		if (answered === true) return;
		if (answered !== false) return answered.then((done) => (done ? undefined : runStages(exchange, options, stages, index + 1)));
	}
	return handleStatic(exchange, options);
}

function handleStatic(exchange: Exchange, options: PipelineOptions): void | Promise<void> {
	const { req } = exchange;
	const method = req.method ?? '';
	if (method === 'GET' || method === 'HEAD') return options.staticFiles.handle(exchange);
	exchange.source = 'static';
	if (method === 'OPTIONS') return sendNoContent(exchange, STATIC_ALLOW);
	if (STANDARD_METHODS.has(method)) {
		// TRACE lands here too: it is never echoed back (cross-site tracing).
		return sendErrorPage(exchange, { code: 405, message: `Method ${method} is not allowed for static files` }, { Allow: STATIC_ALLOW });
	}
	return sendErrorPage(exchange, { code: 501, message: `Unsupported method (${method})` });
}

function sendNoContent(exchange: Exchange, allow: string): void {
	exchange.source = 'static';
	writeHead(exchange.res, 204, { Allow: allow });
	exchange.res.end();
}

/** Last line of defence: an unexpected exception answers 500 (or cuts a response already under way). */
function failExchange(exchange: Exchange, error: unknown): void {
	exchange.error = error instanceof Error ? error.message : String(error);
	const { res } = exchange;
	if (res.headersSent) {
		res.destroy();
		return;
	}
	try {
		sendErrorPage(exchange, { code: 500, message: 'The server failed while answering this request.' });
	} catch {
		res.destroy();
	}
}

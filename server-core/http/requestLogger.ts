import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { redactHeaders, type RequestLogEntry } from '../protocol/requestLog';
import type { Exchange } from './exchange';

export type RequestLogSink = (entry: RequestLogEntry) => void;

export interface TrackOptions {
	/** Copy (and redact) request and response headers into the entry. Off, logging costs almost nothing. */
	includeHeaders: boolean;
}

/**
 * Follows one exchange to its end and reports exactly one entry: on `finish` (response handed to the OS) or on
 * `close` (the client went away first). Body bytes are counted at `write`/`end`, so streamed and proxied
 * responses are measured the same way as buffered ones.
 */
export function trackExchange(exchange: Exchange, sink: RequestLogSink, options: TrackOptions): void {
	const { req, res } = exchange;
	const time = Date.now();
	const started = performance.now();
	let bytes = 0;
	let reported = false;

	const write = res.write;
	const end = res.end;
	res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
		bytes += chunkLength(chunk, rest[0]);
		return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
	} as ServerResponse['write'];
	res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
		if (typeof chunk !== 'function') bytes += chunkLength(chunk, rest[0]);
		return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
	} as ServerResponse['end'];

	const report = (completed: boolean) => {
		if (reported) return;
		reported = true;
		const entry = createEntry(req, res, exchange, time, performance.now() - started, options.includeHeaders);
		// HEAD and 304 carry no body even if a handler tried to write one.
		entry.bytes = req.method === 'HEAD' || res.statusCode === 304 || res.statusCode === 204 ? 0 : bytes;
		if (!completed && entry.error === undefined) entry.error = 'The client closed the connection before the response was complete.';
		sink(entry);
	};
	// 'close' follows 'finish' for completed responses and comes alone for aborted ones: one listener does both.
	res.once('close', () => report(res.writableFinished));
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function createEntry(req: IncomingMessage, res: ServerResponse, exchange: Exchange, time: number, durationMs: number, includeHeaders: boolean): RequestLogEntry {
	const entry: RequestLogEntry = {
		time,
		clientAddress: req.socket.remoteAddress ?? '-',
		method: req.method ?? '-',
		path: req.url ?? '-',
		protocol: `HTTP/${req.httpVersion}`,
		status: res.statusCode,
		bytes: 0,
		durationMs,
		source: exchange.source,
		requestHeaders: includeHeaders ? redactHeaders(req.headers) : NO_HEADERS,
		responseHeaders: includeHeaders ? redactHeaders(res.getHeaders()) : NO_HEADERS,
	};
	if (exchange.error !== undefined) entry.error = exchange.error;
	return entry;
}

function chunkLength(chunk: unknown, encoding: unknown): number {
	if (chunk === undefined || chunk === null) return 0;
	if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
	if (chunk instanceof Uint8Array) return chunk.byteLength;
	return 0;
}

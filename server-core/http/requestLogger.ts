import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { redactHeaders, type RequestLogEntry } from '../protocol/requestLog';
import type { Exchange } from './exchange';
import { TrackedResponse } from './trackedResponse';

export type RequestLogSink = (entry: RequestLogEntry) => void;

export interface TrackOptions {
	/** Copy (and redact) request and response headers into the entry. Off, logging costs almost nothing. */
	includeHeaders: boolean;
}

/**
 * Follows one exchange to its end and reports exactly one entry when the response closes (completed or cut
 * short). Body bytes are counted by TrackedResponse at `write`/`end`, so streamed and proxied responses are
 * measured the same way as buffered ones.
 */
export function trackExchange(exchange: Exchange, sink: RequestLogSink, options: TrackOptions): void {
	const { req, res } = exchange;
	const time = Date.now();
	const started = performance.now();
	// Read now: once the socket is closed Node no longer knows the peer's address.
	const clientAddress = req.socket.remoteAddress ?? '-';
	// 'close' follows 'finish' for completed responses and comes alone for aborted ones: one listener does both.
	res.once('close', () => {
		const entry = createEntry(req, res, exchange, clientAddress, time, performance.now() - started, options.includeHeaders);
		// HEAD, 204 and 304 carry no body even if a handler tried to write one.
		const counted = res instanceof TrackedResponse ? res.bodyBytes : 0;
		entry.bytes = req.method === 'HEAD' || res.statusCode === 304 || res.statusCode === 204 ? 0 : counted;
		if (!res.writableFinished && entry.error === undefined) entry.error = 'The client closed the connection before the response was complete.';
		sink(entry);
	});
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function createEntry(req: IncomingMessage, res: ServerResponse, exchange: Exchange, clientAddress: string, time: number, durationMs: number, includeHeaders: boolean): RequestLogEntry {
	const entry: RequestLogEntry = {
		time,
		clientAddress,
		method: req.method ?? '-',
		path: req.url ?? '-',
		protocol: `HTTP/${req.httpVersion}`,
		status: res.statusCode,
		bytes: 0,
		durationMs,
		source: exchange.source,
		requestHeaders: includeHeaders ? redactHeaders(req.headers) : NO_HEADERS,
		responseHeaders: includeHeaders ? redactHeaders({ ...res.getHeaders(), ...(res instanceof TrackedResponse ? res.headObject : undefined) }) : NO_HEADERS,
	};
	if (exchange.error !== undefined) entry.error = exchange.error;
	return entry;
}

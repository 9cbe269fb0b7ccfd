import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Exchange } from './exchange';

/** HTML from a backend or a CGI script is buffered (to inject the live-reload script) up to this size. */
export const MAX_TRANSFORM_BYTES = 4 * 1024 * 1024;

export interface RelayOptions {
	/**
	 * HTML is buffered (for the transform) for at most this long; then relayBody rejects with a `BufferDeadlineError`,
	 * nothing sent yet, so the caller can answer with an error instead of waiting for a body that never ends.
	 */
	bufferDeadlineMs?: number;
	/**
	 * For a HEAD request, `body` is what a GET would send (a handler ran as for GET): HEAD then gets the GET's
	 * headers, with the Content-Length of the transformed HTML, and no body. Without it, HEAD responses are
	 * relayed as they come (and transformable HTML loses its Content-Length, which would be wrong).
	 */
	headFromGet?: boolean;
}

/** HTML that was being buffered for the transform did not end in time. Nothing was sent to the client. */
export class BufferDeadlineError extends Error {
	constructor(readonly deadlineMs: number) {
		super(`The HTML body did not end within ${deadlineMs} ms.`);
		this.name = 'BufferDeadlineError';
	}
}

/**
 * Relays a body produced elsewhere (a proxied backend, a CGI script). Identity-encoded HTML gets the HTML transform
 * (the live-reload script) when it fits in MAX_TRANSFORM_BYTES and the sender did not say `Cache-Control:
 * no-transform`; everything else streams untouched. Resolves when the body is relayed; rejects when the source fails.
 */
export async function relayBody(exchange: Exchange, status: number, headers: OutgoingHttpHeaders, body: Readable, statusMessage?: string, options: RelayOptions = {}): Promise<void> {
	const { res } = exchange;
	const headFromGet = exchange.req.method === 'HEAD' && options.headFromGet === true;
	if (shouldTransform(exchange, headers, headFromGet)) {
		const buffered = await bufferUpTo(body, MAX_TRANSFORM_BYTES, options.bufferDeadlineMs);
		if (buffered.timedOut) throw new BufferDeadlineError(options.bufferDeadlineMs!);
		if (buffered.complete) {
			const html = exchange.htmlTransform!.apply(Buffer.concat(buffered.chunks), exchange.urlPath);
			deleteHeader(headers, 'etag');
			deleteHeader(headers, 'content-length');
			headers['content-length'] = html.length;
			res.writeHead(status, statusMessage, headers);
			res.end(headFromGet ? undefined : html);
			return;
		}
		res.writeHead(status, statusMessage, headers);
		if (headFromGet) return endHead(res, body);
		for (const chunk of buffered.chunks) res.write(chunk);
	} else if (headFromGet) {
		res.writeHead(status, statusMessage, headers);
		return endHead(res, body);
	} else {
		// A HEAD of HTML that a GET would transform: the untransformed length would be wrong, so none is sent, and the
		// ETag goes as the GET's does (the transformed body is another representation).
		if (exchange.req.method === 'HEAD' && shouldTransform(exchange, headers, true)) {
			deleteHeader(headers, 'content-length');
			deleteHeader(headers, 'etag');
		}
		res.writeHead(status, statusMessage, headers);
	}
	await pipeline(body, res);
}

export function isHtmlType(headers: OutgoingHttpHeaders): boolean {
	return String(headerValue(headers, 'content-type') ?? '').toLowerCase().startsWith('text/html');
}

/** HEAD answered from a GET's body: headers only; the body is not needed (its source stops sending). */
function endHead(res: Exchange['res'], body: Readable): void {
	res.end();
	body.destroy();
}

function shouldTransform(exchange: Exchange, headers: OutgoingHttpHeaders, headFromGet: boolean): boolean {
	if (exchange.htmlTransform === undefined || (exchange.req.method === 'HEAD' && !headFromGet) || !isHtmlType(headers)) return false;
	const encoding = String(headerValue(headers, 'content-encoding') ?? 'identity').toLowerCase();
	if (encoding !== 'identity') return false;
	return !/\bno-transform\b/i.test(String(headerValue(headers, 'cache-control') ?? ''));
}

function headerValue(headers: OutgoingHttpHeaders, name: string): OutgoingHttpHeaders[string] {
	for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
	return undefined;
}

function deleteHeader(headers: OutgoingHttpHeaders, name: string): void {
	for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/**
 * Reads until the end or until more than `limit` bytes arrived; then pauses, leaving the rest in the stream.
 * With `deadlineMs`, gives up (paused, `timedOut`) when the end has not come by then.
 */
export function bufferUpTo(stream: Readable, limit: number, deadlineMs?: number): Promise<{ chunks: Buffer[]; complete: boolean; timedOut: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const timer = deadlineMs === undefined ? undefined : setTimeout(() => {
			stream.pause();
			cleanup();
			resolve({ chunks, complete: false, timedOut: true });
		}, deadlineMs);
		const cleanup = () => {
			clearTimeout(timer);
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
		};
		const onData = (chunk: Buffer) => {
			chunks.push(chunk);
			size += chunk.length;
			if (size > limit) {
				stream.pause();
				cleanup();
				resolve({ chunks, complete: false, timedOut: false });
			}
		};
		const onEnd = () => {
			cleanup();
			resolve({ chunks, complete: true, timedOut: false });
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		stream.on('data', onData);
		stream.once('end', onEnd);
		stream.once('error', onError);
	});
}

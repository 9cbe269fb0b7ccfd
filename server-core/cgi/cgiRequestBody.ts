import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * Largest chunked request body held for a script. RFC 3875 §4.1.2 makes CONTENT_LENGTH a MUST when there is a body,
 * and php-cgi reads exactly that many bytes, so a body sent without Content-Length is buffered to count it.
 */
export const MAX_CHUNKED_BODY_BYTES = 16 * 1024 * 1024;

export type ChunkedBody = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/** True when the request announces a body: a Content-Length other than 0, or a Transfer-Encoding. */
export function hasRequestBody(headers: IncomingHttpHeaders): boolean {
	return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/** True when the body's length is unknown until it ends (Transfer-Encoding without Content-Length). */
export function needsBuffering(headers: IncomingHttpHeaders): boolean {
	return headers['transfer-encoding'] !== undefined && headers['content-length'] === undefined;
}

/** Reads the whole body, up to `limit` bytes; past it, stops collecting (the rest is left to the connection's end). */
export function readChunkedBody(req: IncomingMessage, limit = MAX_CHUNKED_BODY_BYTES): Promise<ChunkedBody> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const settle = (result: ChunkedBody) => {
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('close', onClose);
			resolve(result);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) return settle({ ok: false, reason: 'too-large' });
			chunks.push(chunk);
		};
		const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks, size) });
		const onClose = () => settle({ ok: false, reason: 'aborted' }); // 'end' comes first when the body was complete
		req.on('data', onData);
		req.once('end', onEnd);
		req.once('close', onClose);
	});
}

/** Headers of a request turned into a bodiless GET (local redirects): no body, so nothing describes one. */
export function withoutBodyHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
	const copy = { ...headers };
	delete copy['content-length'];
	delete copy['content-type'];
	delete copy['transfer-encoding'];
	return copy;
}

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileInfo, FileSource } from '../documents/fileSource';
import { createCompressStream, isCompressible, type ContentEncoding } from './compression';
import { weakenEtag } from './conditional';
import { renderErrorPage, type ErrorDetails } from './errorPage';
import type { Exchange } from './exchange';
import { SERVER_NAME } from '../version';
import type { Representation } from './representation';
import { planResponse, type RepresentationTraits } from './responsePlan';

/** Development server: the browser may keep a copy but must revalidate it (cheap 304s) before every use. */
const REVALIDATE = 'no-cache';

/**
 * Writes the status line and headers, adding `Server`. Passing every header to writeHead at once (no earlier
 * setHeader) keeps Node on its fast path, which matters on the hot path of cached files.
 */
export function writeHead(res: ServerResponse, status: number, headers: OutgoingHttpHeaders): void {
	headers['Server'] = SERVER_NAME;
	res.writeHead(status, headers);
}

/** Writes status, headers and (except for HEAD) the body in one go. */
export function sendBuffer(exchange: Exchange, status: number, headers: OutgoingHttpHeaders, body: Buffer): void {
	const { req, res } = exchange;
	headers['Content-Length'] = body.length;
	writeHead(res, status, headers);
	if (req.method === 'HEAD') res.end();
	else res.end(body);
}

/** Sends HTML the server generated itself (listings, error pages), passed through the HTML transform. */
export function sendGeneratedHtml(exchange: Exchange, status: number, html: string, headers: OutgoingHttpHeaders = {}): void {
	let body: Buffer = Buffer.from(html, 'utf8');
	if (exchange.htmlTransform) body = exchange.htmlTransform.apply(body, exchange.urlPath);
	sendBuffer(exchange, status, { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body);
}

/** Sends an in-memory representation, honouring conditional requests, ranges and compression. */
export function sendRepresentation(exchange: Exchange, representation: Representation, onEncoded?: (bytes: number) => void): void {
	const plan = planResponse(exchange.req, representation);
	const headers = representationHeaders(representation);
	switch (plan.status) {
		case 304:
		case 412:
		case 416:
			return sendWithoutBody(exchange, plan.status, headers, representation.size);
		case 206: {
			headers['Content-Range'] = `bytes ${plan.range.start}-${plan.range.end}/${representation.size}`;
			return sendBuffer(exchange, 206, headers, representation.body.subarray(plan.range.start, plan.range.end + 1));
		}
		case 200: {
			if (plan.encoding === undefined) return sendBuffer(exchange, 200, headers, representation.body);
			const ready = representation.encodedBody(plan.encoding);
			if (ready !== undefined) return sendBuffer(exchange, 200, encodedHeaders(headers, plan.encoding), ready);
			const encoding = plan.encoding;
			representation.encode(encoding, onEncoded).then(
				(encoded) => sendBuffer(exchange, 200, encodedHeaders(headers, encoding), encoded),
				() => sendBuffer(exchange, 200, headers, representation.body), // compression failed: identity is always acceptable
			);
		}
	}
}

/**
 * Streams a file too large to hold in memory; memory stays flat whatever its size. `openBody` replaces the file's
 * bytes (of `info.size` bytes, not rangeable) by another stream: the file rewritten on the way.
 */
export async function sendFileStream(
	exchange: Exchange, source: FileSource, filePath: string, info: FileInfo, traits: Omit<RepresentationTraits, 'size' | 'compressible'> & { contentType: string },
	openBody?: () => Readable,
): Promise<void> {
	const compressible = isCompressible(traits.contentType, info.size);
	const plan = planResponse(exchange.req, { ...traits, size: info.size, compressible });
	const lastModified = traits.lastModifiedMs === undefined ? undefined : new Date(traits.lastModifiedMs).toUTCString();
	const headers = fileHeaders(traits.contentType, traits.etag, lastModified, traits.rangeable, compressible);
	if (plan.status === 304 || plan.status === 412 || plan.status === 416) return sendWithoutBody(exchange, plan.status, headers, info.size);

	const { req, res } = exchange;
	const range = plan.status === 206 ? plan.range : undefined;
	const encoding = plan.status === 200 ? plan.encoding : undefined;
	if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
	if (encoding) encodedHeaders(headers, encoding); // length unknown until compressed: chunked (or close for HTTP/1.0)
	else headers['Content-Length'] = range ? range.end - range.start + 1 : info.size;
	writeHead(res, plan.status, headers);
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	try {
		const body = () => openBody?.() ?? source.createReadStream(filePath, range);
		if (encoding) await pipeline(body(), createCompressStream(encoding, info.size), res);
		else if (source.streamRange && openBody === undefined) {
			await source.streamRange(filePath, range ?? { start: 0, end: info.size - 1 }, res);
			res.end();
		} else await pipeline(body(), res);
	} catch (error) {
		// Headers are gone; the only honest signal left is an aborted connection.
		res.destroy();
		if (!isClientAbort(error)) exchange.error = `Streaming failed: ${(error as Error).message}`;
	}
}

function sendWithoutBody(exchange: Exchange, status: 304 | 412 | 416, headers: OutgoingHttpHeaders, size: number): void {
	const { res } = exchange;
	if (status === 304) {
		// RFC 9110 §15.4.5: repeat the validators and caching headers, but no content metadata.
		delete headers['Content-Type'];
		delete headers['Accept-Ranges'];
		writeHead(res, 304, headers);
		res.end();
		return;
	}
	const errorHeaders: OutgoingHttpHeaders = status === 416 ? { 'Content-Range': `bytes */${size}` } : {};
	sendErrorPage(exchange, { code: status }, errorHeaders);
}

/** Sends an error page (with the live-reload script, so the page recovers by itself once the cause is fixed). */
export function sendErrorPage(exchange: Exchange, details: ErrorDetails, headers: OutgoingHttpHeaders = {}): void {
	sendGeneratedHtml(exchange, details.code, renderErrorPage(details), { 'Cache-Control': 'no-store', ...headers });
}

function representationHeaders(representation: Representation): OutgoingHttpHeaders {
	return fileHeaders(representation.contentType, representation.etag, representation.lastModified, representation.rangeable, representation.compressible);
}

function fileHeaders(contentType: string, etag: string, lastModified: string | undefined, rangeable: boolean, compressible: boolean): OutgoingHttpHeaders {
	const headers: OutgoingHttpHeaders = {
		'Content-Type': contentType,
		ETag: etag,
		'Cache-Control': REVALIDATE,
	};
	if (lastModified !== undefined) headers['Last-Modified'] = lastModified;
	// Advertised only because ranges really work for this response.
	if (rangeable) headers['Accept-Ranges'] = 'bytes';
	if (compressible) headers['Vary'] = 'Accept-Encoding';
	return headers;
}

/** A compressed body is a different byte sequence: the strong ETag becomes weak (as nginx does), and ranges stop applying. */
function encodedHeaders(headers: OutgoingHttpHeaders, encoding: ContentEncoding): OutgoingHttpHeaders {
	headers['Content-Encoding'] = encoding;
	headers['ETag'] = weakenEtag(String(headers['ETag']));
	return headers;
}

function isClientAbort(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

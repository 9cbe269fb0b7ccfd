import { once } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { HandlerResultError } from './handlerResult';
import { jsonStringify, WebHeaders, WebRequest } from './workerIntrinsics';
import { INTERNAL_HEADER_PREFIX } from './workerProtocol';

const readableToWeb = Readable.toWeb;

/**
 * Node <-> Web adapters used inside the handler worker: an IncomingMessage becomes a `Request` (streaming
 * body, abort signal), and whatever a handler returns is written to the ServerResponse (streaming body,
 * back-pressure, HEAD without a body).
 */

export function toWebRequest(req: IncomingMessage, method: string, url: string, signal: AbortSignal): Request {
	const headers = new WebHeaders();
	const raw = req.rawHeaders;
	for (let index = 0; index < raw.length; index += 2) {
		const name = raw[index]!;
		if (!name.toLowerCase().startsWith(INTERNAL_HEADER_PREFIX)) headers.append(name, raw[index + 1]!);
	}
	const hasBody = method !== 'GET' && method !== 'HEAD';
	const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
	if (hasBody) {
		init.body = readableToWeb(req) as unknown as ReadableStream<Uint8Array>;
		init.duplex = 'half';
	}
	return new WebRequest(url, init);
}

/** Response headers as Node wants them, multiple Set-Cookie kept apart, internal names dropped. */
export function toNodeHeaders(headers: Headers): OutgoingHttpHeaders {
	const result: OutgoingHttpHeaders = {};
	headers.forEach((value, name) => {
		if (name !== 'set-cookie' && !name.startsWith(INTERNAL_HEADER_PREFIX)) result[name] = value;
	});
	const cookies = headers.getSetCookie();
	if (cookies.length > 0) result['set-cookie'] = cookies;
	return result;
}

/**
 * Writes a Response; the body is streamed chunk by chunk with back-pressure and cancelled if the client leaves.
 * A body with a Content-Length header is checked against it: a wrong length would otherwise leave the receiver
 * waiting for bytes that never come (or cut the next response on the connection).
 */
export async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
	const headers = toNodeHeaders(response.headers);
	const noBody = method === 'HEAD' || response.status === 204 || response.status === 304 || response.body === null;
	const declared = declaredLength(headers);
	if (!noBody && declared !== undefined && declared <= CHECKED_LENGTH_LIMIT) {
		const { chunks, size } = await readUpTo(response.body!, declared + 1);
		if (size !== declared) {
			throw new HandlerResultError(`The Response has the header Content-Length: ${declared}, but its body has ${size > declared ? 'more than that' : size} byte${size === 1 ? '' : 's'}. Leave Content-Length out (the server sets it) or make it match the body.`);
		}
		res.writeHead(response.status, response.statusText || undefined, headers);
		for (const chunk of chunks) res.write(chunk);
		res.end();
		return;
	}
	// A longer body is streamed; if it turns out not to match, Node fails the write and the connection is cut.
	res.strictContentLength = true;
	res.writeHead(response.status, response.statusText || undefined, headers);
	if (noBody) {
		res.end();
		await response.body?.cancel().catch(() => undefined);
		return;
	}
	const reader = response.body!.getReader();
	const cancel = () => void reader.cancel().catch(() => undefined);
	res.once('close', cancel);
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			if (res.destroyed) return;
			if (!res.write(value)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
		}
		res.end();
	} finally {
		res.off('close', cancel);
	}
}

/** Bodies with a Content-Length up to this size are read and checked before anything is sent. */
const CHECKED_LENGTH_LIMIT = 4 * 1024 * 1024;

function declaredLength(headers: OutgoingHttpHeaders): number | undefined {
	const value = headers['content-length'];
	if (value === undefined) return undefined;
	if (!/^\d{1,15}$/.test(String(value).trim())) throw new HandlerResultError(`The Response has an invalid Content-Length header: ${jsonStringify(String(value))}.`);
	return Number(String(value).trim());
}

/** Reads a body until it ends or `limit` bytes have arrived (then cancels the rest). */
async function readUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<{ chunks: Uint8Array[]; size: number }> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	while (size < limit) {
		const { done, value } = await reader.read();
		if (done) return { chunks, size };
		chunks.push(value);
		size += value.byteLength;
	}
	await reader.cancel().catch(() => undefined);
	return { chunks, size };
}

import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';

type Chunk = string | Uint8Array;
type Callback = (error?: Error | null) => void;

/**
 * The server's response class: counts body bytes and remembers the headers given to writeHead, so that the
 * request log can report them. A subclass (passed to createServer) rather than per-request wrappers, because
 * this runs for every response and wrapping costs a closure and a slower call each time.
 */
export class TrackedResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
	/** Body bytes handed to `write`/`end` (what HEAD and 304 responses drop is the logger's business). */
	bodyBytes = 0;
	/** The headers object last passed to writeHead: Node's fast path does not keep those in `getHeaders()`. */
	headObject: OutgoingHttpHeaders | undefined;

	override writeHead(statusCode: number, ...rest: unknown[]): this {
		const last = rest[rest.length - 1];
		if (typeof last === 'object' && last !== null && !Array.isArray(last)) this.headObject = last as OutgoingHttpHeaders;
		return (super.writeHead as (code: number, ...args: unknown[]) => this)(statusCode, ...rest);
	}

	override write(chunk: Chunk, encodingOrCallback?: BufferEncoding | Callback, callback?: Callback): boolean {
		this.bodyBytes += chunkLength(chunk, encodingOrCallback);
		return super.write(chunk, encodingOrCallback as BufferEncoding, callback);
	}

	override end(chunkOrCallback?: Chunk | (() => void), encodingOrCallback?: BufferEncoding | (() => void), callback?: () => void): this {
		if (typeof chunkOrCallback !== 'function' && chunkOrCallback !== undefined) this.bodyBytes += chunkLength(chunkOrCallback, encodingOrCallback);
		return super.end(chunkOrCallback as Chunk, encodingOrCallback as BufferEncoding, callback);
	}
}

function chunkLength(chunk: unknown, encoding: unknown): number {
	if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
	if (chunk instanceof Uint8Array) return chunk.byteLength;
	return 0;
}

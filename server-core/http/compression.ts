import compressible from 'compressible';
import Negotiator from 'negotiator';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

/** Below this size the headers cost more than compression saves. */
export const MIN_COMPRESSIBLE_SIZE = 1024;

const OFFERED = ['br', 'gzip', 'identity'];
/** Brotli quality 4 and gzip level 6: close to the best ratio per CPU millisecond for text on the fly. */
const BROTLI_STREAM_QUALITY = 4;
/** Cached entries are compressed once, so they can afford more effort. */
const BROTLI_CACHED_QUALITY = 6;
const GZIP_LEVEL = 6;

const negotiated = new Map<string, ContentEncoding | undefined>();
const MAX_MEMOISED_HEADERS = 64;

/** The encoding to use for an `Accept-Encoding` value (q-values honoured; brotli preferred on ties). */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding | undefined {
	if (!acceptEncoding) return undefined;
	if (negotiated.has(acceptEncoding)) return negotiated.get(acceptEncoding);
	const best = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(OFFERED, { preferred: OFFERED });
	const encoding = best === 'br' || best === 'gzip' ? best : undefined;
	// Browsers send a handful of distinct values; the bound keeps hostile clients from growing the map.
	if (negotiated.size >= MAX_MEMOISED_HEADERS) negotiated.clear();
	negotiated.set(acceptEncoding, encoding);
	return encoding;
}

/** Text-like types (per mime-db) are worth compressing; images, video, archives and fonts like woff2 are not. */
export function isCompressible(contentType: string, size: number): boolean {
	return size >= MIN_COMPRESSIBLE_SIZE && compressible(contentType) === true;
}

export function createCompressStream(encoding: ContentEncoding, sizeHint: number): zlib.BrotliCompress | zlib.Gzip {
	if (encoding === 'gzip') return zlib.createGzip({ level: GZIP_LEVEL });
	return zlib.createBrotliCompress({
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_STREAM_QUALITY,
			[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
		},
	});
}

const brotliCompress = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compresses a whole buffer off the main thread (zlib runs in the libuv pool). */
export function compressBuffer(encoding: ContentEncoding, body: Buffer): Promise<Buffer> {
	if (encoding === 'gzip') return gzip(body, { level: GZIP_LEVEL });
	return brotliCompress(body, {
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_CACHED_QUALITY,
			[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
		},
	});
}

import { compressBuffer, isCompressible, type ContentEncoding } from './compression';
import type { RepresentationTraits } from './responsePlan';

export interface RepresentationInit {
	body: Buffer;
	contentType: string;
	/** The source version this was built from; a cached representation is valid while the source reports the same tag. */
	versionTag: string;
	etag: string;
	/** Undefined: no Last-Modified (a listing's folder date says nothing about the sizes and dates it shows). */
	lastModifiedMs: number | undefined;
	rangeable: boolean;
	/** What else the body was built for (HtmlTransform.variant of the URL path); '' when nothing. */
	variant?: string;
}

/** A complete response body held in memory, with its validators and lazily computed compressed variants. */
export class Representation implements RepresentationTraits {
	readonly body: Buffer;
	readonly contentType: string;
	readonly versionTag: string;
	readonly etag: string;
	readonly lastModifiedMs: number | undefined;
	readonly lastModified: string | undefined;
	readonly rangeable: boolean;
	readonly variant: string;
	readonly compressible: boolean;
	private readonly _encoded = new Map<ContentEncoding, Buffer>();
	private readonly _encoding = new Map<ContentEncoding, Promise<Buffer>>();

	constructor(init: RepresentationInit) {
		this.body = init.body;
		this.contentType = init.contentType;
		this.versionTag = init.versionTag;
		this.etag = init.etag;
		this.lastModifiedMs = init.lastModifiedMs;
		this.lastModified = init.lastModifiedMs === undefined ? undefined : new Date(init.lastModifiedMs).toUTCString();
		this.rangeable = init.rangeable;
		this.variant = init.variant ?? '';
		this.compressible = isCompressible(init.contentType, init.body.length);
	}

	get size(): number {
		return this.body.length;
	}

	/** The compressed body if it is ready (the common case after the first request). */
	encodedBody(encoding: ContentEncoding): Buffer | undefined {
		return this._encoded.get(encoding);
	}

	/** Compresses once; concurrent callers share the work. `onEncoded` reports the added bytes (for cache accounting). */
	encode(encoding: ContentEncoding, onEncoded?: (bytes: number) => void): Promise<Buffer> {
		let pending = this._encoding.get(encoding);
		if (pending === undefined) {
			pending = compressBuffer(encoding, this.body).then((encoded) => {
				this._encoded.set(encoding, encoded);
				onEncoded?.(encoded.length);
				return encoded;
			});
			this._encoding.set(encoding, pending);
		}
		return pending;
	}
}

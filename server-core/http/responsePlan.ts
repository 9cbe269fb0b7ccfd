import type { IncomingMessage } from 'node:http';
import type { ByteRange } from '../documents/fileSource';
import { negotiateEncoding, type ContentEncoding } from './compression';
import { evaluatePreconditions, isIfRangeFresh, type Validators } from './conditional';
import { resolveByteRange } from './range';

export interface RepresentationTraits extends Validators {
	size: number;
	/** False when the bytes on the wire are not the file's bytes (e.g. the live-reload script was injected). */
	rangeable: boolean;
	compressible: boolean;
}

export type ResponsePlan =
	| { status: 200; encoding: ContentEncoding | undefined }
	| { status: 206; range: ByteRange }
	| { status: 304 }
	| { status: 412 }
	| { status: 416 };

/** Decides between 200, 206, 304, 412 and 416, and on the content encoding (pure: headers in, decision out). */
export function planResponse(req: Pick<IncomingMessage, 'method' | 'headers'>, traits: RepresentationTraits): ResponsePlan {
	const { headers } = req;
	// The common case, cheaply: no conditional and no range headers at all.
	if (headers['if-none-match'] === undefined && headers['if-modified-since'] === undefined && headers['if-match'] === undefined
		&& headers['if-unmodified-since'] === undefined && headers.range === undefined) {
		return { status: 200, encoding: traits.compressible ? negotiateEncoding(headers['accept-encoding']) : undefined };
	}
	const method = req.method ?? 'GET';
	const precondition = evaluatePreconditions(method, req.headers, traits);
	if (precondition === 'not-modified') return { status: 304 };
	if (precondition === 'precondition-failed') return { status: 412 };

	// Range is defined for GET only (RFC 9110 §14.2); HEAD describes the full representation.
	if (method === 'GET' && traits.rangeable && req.headers.range !== undefined && isIfRangeFresh(firstValue(req.headers['if-range']), traits)) {
		const range = resolveByteRange(req.headers.range, traits.size);
		if (range.kind === 'unsatisfiable') return { status: 416 };
		if (range.kind === 'partial') return { status: 206, range: { start: range.start, end: range.end } };
	}
	const encoding = traits.compressible ? negotiateEncoding(req.headers['accept-encoding']) : undefined;
	return { status: 200, encoding };
}

function firstValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** The outcome of a `Range` header against a representation of `size` bytes (RFC 9110 §14). */
export type RangeResult =
	| { kind: 'full' }
	| { kind: 'partial'; start: number; end: number }
	| { kind: 'unsatisfiable' };

const SINGLE_BYTE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/**
 * Resolves a single byte range (`a-b`, `a-`, `-n`). A header we do not understand, a syntactically broken one,
 * or a multi-range request yields `full`: RFC 9110 lets a server ignore Range, and a full 200 is always correct.
 */
export function resolveByteRange(header: string | undefined, size: number): RangeResult {
	if (header === undefined) return { kind: 'full' };
	const match = SINGLE_BYTE_RANGE.exec(header.trim().replace(/\s+/g, ''));
	if (!match) return { kind: 'full' };
	const [, first, last] = match;
	if (first === '' && last === '') return { kind: 'full' };

	if (first === '') {
		// Suffix range: the last n bytes.
		const length = Number(last);
		if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
		return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
	}
	// Digits only, so Number() cannot fail; past 2^53 it loses precision but stays beyond any file size.
	const start = Number(first);
	if (last !== '' && Number(last) < start) return { kind: 'full' }; // invalid range-spec: ignore the header
	if (start >= size) return { kind: 'unsatisfiable' };
	const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
	return { kind: 'partial', start, end };
}

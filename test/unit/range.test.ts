import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveByteRange } from '../../server-core/http/range';

describe('resolveByteRange', () => {
	it('resolves bounded, open and suffix ranges', () => {
		assert.deepEqual(resolveByteRange('bytes=0-99', 1000), { kind: 'partial', start: 0, end: 99 });
		assert.deepEqual(resolveByteRange('bytes=500-', 1000), { kind: 'partial', start: 500, end: 999 });
		assert.deepEqual(resolveByteRange('bytes=-100', 1000), { kind: 'partial', start: 900, end: 999 });
		assert.deepEqual(resolveByteRange('bytes=999-999', 1000), { kind: 'partial', start: 999, end: 999 });
	});

	it('clamps ends past the file and suffixes longer than it', () => {
		assert.deepEqual(resolveByteRange('bytes=900-5000', 1000), { kind: 'partial', start: 900, end: 999 });
		assert.deepEqual(resolveByteRange('bytes=-5000', 1000), { kind: 'partial', start: 0, end: 999 });
	});

	it('reports unsatisfiable ranges', () => {
		assert.deepEqual(resolveByteRange('bytes=1000-', 1000), { kind: 'unsatisfiable' });
		assert.deepEqual(resolveByteRange('bytes=2000-3000', 1000), { kind: 'unsatisfiable' });
		assert.deepEqual(resolveByteRange('bytes=-0', 1000), { kind: 'unsatisfiable' });
		assert.deepEqual(resolveByteRange('bytes=0-', 0), { kind: 'unsatisfiable' });
		assert.deepEqual(resolveByteRange('bytes=-5', 0), { kind: 'unsatisfiable' });
		// Past Number.MAX_SAFE_INTEGER is still a valid first-pos, and beyond any file (RFC 9110 §14.1.2).
		assert.deepEqual(resolveByteRange('bytes=99999999999999999999-', 1000), { kind: 'unsatisfiable' });
		assert.deepEqual(resolveByteRange('bytes=99999999999999999999-99999999999999999999', 1000), { kind: 'unsatisfiable' });
	});

	it('clamps huge ends and suffixes to the file', () => {
		assert.deepEqual(resolveByteRange('bytes=10-99999999999999999999', 1000), { kind: 'partial', start: 10, end: 999 });
		assert.deepEqual(resolveByteRange('bytes=-99999999999999999999', 1000), { kind: 'partial', start: 0, end: 999 });
	});

	it('ignores what it does not understand (a full 200 is always correct)', () => {
		for (const header of [undefined, '', 'bytes=', 'bytes=-', 'items=0-5', 'bytes=5-2', 'bytes=a-b', 'bytes=0-1,5-6', 'bytes 0-5', 'bytes=99999999999999999999-5']) {
			assert.deepEqual(resolveByteRange(header, 1000), { kind: 'full' }, String(header));
		}
	});

	it('accepts a case-insensitive unit and stray whitespace', () => {
		assert.deepEqual(resolveByteRange('Bytes=0-1', 10), { kind: 'partial', start: 0, end: 1 });
		assert.deepEqual(resolveByteRange(' bytes = 2 - 3 ', 10), { kind: 'partial', start: 2, end: 3 });
	});
});

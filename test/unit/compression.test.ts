import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCompressible, negotiateEncoding } from '../../server-core/http/compression';

describe('negotiateEncoding', () => {
	it('prefers brotli, then gzip, honouring q-values', () => {
		assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
		assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
		assert.equal(negotiateEncoding('br;q=0.5, gzip'), 'gzip');
		assert.equal(negotiateEncoding('br;q=0, gzip;q=0'), undefined);
		assert.equal(negotiateEncoding('identity'), undefined);
		assert.equal(negotiateEncoding('*'), 'br');
		assert.equal(negotiateEncoding(undefined), undefined);
		assert.equal(negotiateEncoding(''), undefined);
	});
});

describe('isCompressible', () => {
	it('compresses text above the size floor only', () => {
		assert.equal(isCompressible('text/html; charset=utf-8', 5000), true);
		assert.equal(isCompressible('application/javascript; charset=utf-8', 5000), true);
		assert.equal(isCompressible('image/svg+xml', 5000), true);
		assert.equal(isCompressible('text/css', 100), false);
		assert.equal(isCompressible('image/png', 5000), false);
		assert.equal(isCompressible('video/mp4', 5000), false);
		assert.equal(isCompressible('application/zip', 5000), false);
	});
});

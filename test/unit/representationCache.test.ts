import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RepresentationCache } from '../../server-core/http/representationCache';

describe('RepresentationCache', () => {
	it('evicts the least recently used entries past the byte budget', () => {
		const cache = new RepresentationCache<string>({ maxEntryBytes: 100, maxTotalBytes: 250 });
		cache.set('a', 'A', 100);
		cache.set('b', 'B', 100);
		assert.equal(cache.get('a'), 'A'); // a is now the most recent
		cache.set('c', 'C', 100);
		assert.equal(cache.get('b'), undefined);
		assert.equal(cache.get('a'), 'A');
		assert.equal(cache.get('c'), 'C');
		assert.equal(cache.totalBytes, 200);
	});

	it('refuses entries over the per-entry limit and accounts growth', () => {
		const cache = new RepresentationCache<string>({ maxEntryBytes: 100, maxTotalBytes: 1000 });
		cache.set('big', 'X', 101);
		assert.equal(cache.get('big'), undefined);
		cache.set('a', 'A', 50);
		cache.grow('a', 'A', 30);
		cache.grow('a', 'stale value', 1000); // growth for a replaced value is ignored
		assert.equal(cache.totalBytes, 80);
		cache.delete('a');
		assert.equal(cache.totalBytes, 0);
		assert.equal(cache.size, 0);
	});
});

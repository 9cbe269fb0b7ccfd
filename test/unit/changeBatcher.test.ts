import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ChangeBatcher } from '../../server-core/reload/changeBatcher';
import type { FileChange } from '../../server-core/reload/changeSource';

const timing = { quietMs: 5, stormThreshold: 10, stormQuietMs: 50, maxWaitMs: 1000 };
const change = (path: string, kind: FileChange['kind'] = 'changed'): FileChange => ({ path, kind });

describe('ChangeBatcher', () => {
	beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
	afterEach(() => mock.timers.reset());

	it('fires once, quietMs after the last change of a burst', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		batcher.add([change('/a')]);
		mock.timers.tick(3);
		batcher.add([change('/a'), change('/b')]);
		mock.timers.tick(4);
		assert.equal(batches.length, 0, 'still inside the quiet window');
		mock.timers.tick(1);
		assert.deepEqual(batches, [[change('/a'), change('/b')]]);
	});

	it('waits for a longer quiet time once a batch is a storm', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		for (let i = 0; i < 30; i++) {
			batcher.add([change(`/f${i}`)]);
			mock.timers.tick(i === 15 ? 20 : 1); // a pause longer than quietMs in the middle of the storm
		}
		assert.equal(batches.length, 0);
		mock.timers.tick(50);
		assert.equal(batches.length, 1);
		assert.equal(batches[0]!.length, 30);
	});

	it('treats a batch that creates or deletes a folder as a storm from its first event', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		batcher.add([{ path: '/new-folder', kind: 'created', isDirectory: true }]);
		mock.timers.tick(20); // a stall at the start of a checkout: longer than quietMs
		batcher.add([change('/new-folder/a.txt', 'created')]);
		mock.timers.tick(49);
		assert.equal(batches.length, 0);
		mock.timers.tick(1);
		assert.equal(batches.length, 1);
		assert.equal(batches[0]!.length, 2);
		// The next batch starts as an ordinary one again.
		batcher.add([change('/b.css')]);
		mock.timers.tick(5);
		assert.equal(batches.length, 2);
	});

	it('never holds a batch longer than maxWaitMs', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		for (let t = 0; t < 1200; t++) {
			batcher.add([change(`/busy${t % 20}`)]);
			mock.timers.tick(1);
		}
		assert.equal(batches.length, 1, 'one flush at the 1000 ms cap');
		batcher.dispose();
	});

	it('keeps "created" for a file created then written', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		batcher.add([change('/n', 'created'), change('/n', 'changed')]);
		batcher.flush();
		assert.deepEqual(batches, [[change('/n', 'created')]]);
	});
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ChangeBatcher, DEFAULT_BATCH_TIMING } from '../../server-core/reload/changeBatcher';
import type { FileChange } from '../../server-core/reload/changeSource';

const timing = { quietMs: 5, burstGapMs: 50, stormThreshold: 10, stormQuietMs: 100, maxWaitMs: 1000 };
const change = (path: string, kind: FileChange['kind'] = 'changed'): FileChange => ({ path, kind });

describe('ChangeBatcher', () => {
	beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
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
		mock.timers.tick(100);
		assert.equal(batches.length, 1);
		assert.equal(batches[0]!.length, 30);
	});

	it('treats a batch that creates or deletes a folder as a storm from its first event', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		batcher.add([{ path: '/new-folder', kind: 'created', isDirectory: true }]);
		mock.timers.tick(20); // a stall at the start of a checkout: longer than quietMs
		batcher.add([change('/new-folder/a.txt', 'created')]);
		mock.timers.tick(99);
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

	it('counts changes spaced under burstGapMs as one burst: one message as it starts, one when it ends', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), { ...timing, maxWaitMs: 10_000 });
		// A build tool rewriting its output every 40 ms for 3 s (75 writes).
		for (let t = 0; t < 3000; t += 40) {
			batcher.add([change('/dist/app.js')]);
			mock.timers.tick(40);
		}
		assert.equal(batches.length, 1, 'the first write is announced after quietMs; the rest wait for the burst to end');
		mock.timers.tick(9);
		assert.equal(batches.length, 1, 'still inside burstGapMs of the last write');
		mock.timers.tick(1);
		assert.equal(batches.length, 2);
		// A change after a real pause is a new burst, announced after quietMs again.
		mock.timers.tick(100);
		batcher.add([change('/index.html')]);
		mock.timers.tick(5);
		assert.equal(batches.length, 3);
	});

	it('announces changes spaced by more than burstGapMs each on its own, quickly', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		for (let i = 0; i < 5; i++) {
			batcher.add([change('/page.html')]);
			mock.timers.tick(5);
			assert.equal(batches.length, i + 1, `save ${i} announced after quietMs`);
			mock.timers.tick(95);
		}
	});

	it('treats git activity (index.lock, HEAD) as the start of a storm, so a checkout is one batch', () => {
		const batches: FileChange[][] = [];
		const batcher = new ChangeBatcher((batch) => batches.push(batch), timing);
		batcher.add([change('/repo/.git/index.lock', 'created')]);
		mock.timers.tick(30); // git deciding what to write: longer than quietMs
		for (let i = 0; i < 3; i++) {
			batcher.add([change(`/repo/src/f${i}.js`)]);
			mock.timers.tick(20);
		}
		batcher.add([change('/repo/.git/HEAD'), change('/repo/.git/index.lock', 'deleted')]);
		mock.timers.tick(99);
		assert.equal(batches.length, 0);
		mock.timers.tick(1);
		assert.equal(batches.length, 1);
		assert.equal(batches[0]!.length, 5);
	});

	it('has a default debounce of at most 20 ms and a burst gap of 50 ms', () => {
		assert.ok(DEFAULT_BATCH_TIMING.quietMs <= 20);
		assert.equal(DEFAULT_BATCH_TIMING.burstGapMs, 50);
		assert.equal(DEFAULT_BATCH_TIMING.stormThreshold, 10);
	});
});

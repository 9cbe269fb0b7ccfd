import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { InputSnapshot } from '../../server-core/handlers/inputSnapshot';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
before(() => (workspace = createTempWorkspace()));
after(() => workspace.remove());

describe('InputSnapshot', () => {
	it('is fresh until a file is edited, replaced or deleted', () => {
		const a = workspace.write('a.ts', 'export const a = 1;');
		const b = workspace.write('b.ts', 'export const b = 1;');
		const snapshot = InputSnapshot.take([a, b]);
		assert.equal(snapshot.isStale(), false);
		workspace.write('b.ts', 'export const b = 22;');
		assert.equal(snapshot.isStale(), true, 'edited');
		const again = InputSnapshot.take([a, b]);
		fs.rmSync(b);
		assert.equal(again.isStale(), true, 'deleted');
	});

	it('catches an edit that keeps size and mtime (same clock tick) by content, while the mtime is recent', () => {
		const file = workspace.write('racy.ts', 'export const v = 1;');
		const tick = new Date(Math.floor(Date.now() / 1000) * 1000);
		fs.utimesSync(file, tick, tick);
		const snapshot = InputSnapshot.take([file]);
		fs.writeFileSync(file, 'export const v = 2;');
		fs.utimesSync(file, tick, tick); // same inode, size and mtime: only the content differs
		assert.equal(snapshot.isStale(tick.getTime() + 500), true, 'recent mtime: compared by content');
		// Long after the write, an identical stat is trusted without reading the file.
		assert.equal(snapshot.isStale(tick.getTime() + 60_000), false);
	});

	it('reuses earlier states, so a save during a build leaves the result stale', () => {
		const file = workspace.write('during.ts', 'export const v = 1;');
		const before = InputSnapshot.take([file]);
		workspace.write('during.ts', 'export const v = 2;'); // saved while esbuild was reading
		const after = InputSnapshot.take([file], before);
		assert.equal(after.isStale(), true);
	});
});

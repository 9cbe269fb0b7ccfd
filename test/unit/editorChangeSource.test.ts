import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Emitter } from '../../server-core/disposable';
import type { FileInfo, FileSource } from '../../server-core/documents/fileSource';
import { UnsavedDocuments } from '../../server-core/documents/overlayFileSource';
import { EditorChangeSource, type EditorEvent } from '../../server-core/lsp/editorChangeSource';
import type { ReloadOn } from '../../server-core/protocol/configuration';
import type { FileChange } from '../../server-core/reload/changeSource';
import { waitFor } from '../helpers/waitFor';

const root = path.resolve('/site');
const page = path.join(root, 'index.html');
const css = path.join(root, 'style.css');

/** A disk whose version tags the test sets. */
function fakeDisk(tags: Map<string, string>): FileSource {
	const stat = async (filePath: string): Promise<FileInfo | undefined> => {
		const tag = tags.get(filePath);
		return tag === undefined ? undefined : { kind: 'file', size: 1, mtimeMs: 0, versionTag: tag };
	};
	return { stat } as unknown as FileSource;
}

function setup(reloadOn: ReloadOn, open: string[] = [], isDiskOnly?: (filePath: string) => boolean) {
	const events = new Emitter<EditorEvent>();
	const documents = new UnsavedDocuments();
	for (const filePath of open) documents.set(filePath, { getText: () => '' });
	const tags = new Map<string, string>();
	const source = new EditorChangeSource({ root, reloadOn, typingDebounceMs: 200, events, documents, disk: fakeDisk(tags), ...(isDiskOnly ? { isDiskOnly } : {}) });
	const batches: FileChange[][] = [];
	source.onChanges((changes) => batches.push([...changes]));
	return { events, source, batches, tags };
}

describe('EditorChangeSource, reloadOn change', () => {
	beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
	afterEach(() => mock.timers.reset());

	it('turns a burst of keystrokes into one change after the quiet time', () => {
		const { events, batches, source } = setup('change', [page]);
		for (let i = 0; i < 10; i++) {
			events.fire({ type: 'edited', path: page });
			mock.timers.tick(150);
		}
		assert.equal(batches.length, 0, 'still typing');
		events.fire({ type: 'edited', path: css });
		mock.timers.tick(199);
		assert.equal(batches.length, 0);
		mock.timers.tick(1);
		assert.deepEqual(batches, [[{ path: page, kind: 'changed' }, { path: css, kind: 'changed' }]]);
		source.dispose();
	});

	it('a save ends the pause at once; a save with nothing typed is not a change', () => {
		const { events, batches } = setup('change', [page]);
		events.fire({ type: 'saved', path: page });
		assert.equal(batches.length, 0);
		events.fire({ type: 'edited', path: page });
		events.fire({ type: 'saved', path: page });
		assert.deepEqual(batches, [[{ path: page, kind: 'changed' }]]);
		mock.timers.tick(1000);
		assert.equal(batches.length, 1);
	});

	it('ignores disk writes of open files (their buffer is served) but passes everything else', () => {
		const { events, batches } = setup('change', [page]);
		events.fire({ type: 'disk', changes: [{ path: page, kind: 'changed' }, { path: css, kind: 'changed' }, { path: page, kind: 'deleted' }] });
		assert.deepEqual(batches, [[{ path: css, kind: 'changed' }, { path: page, kind: 'deleted' }]]);
	});

	it('reports a buffer opened dirty or discarded at once, and ignores paths outside the root', () => {
		const { events, batches } = setup('change');
		events.fire({ type: 'overlayChanged', path: page });
		events.fire({ type: 'edited', path: path.resolve('/elsewhere/a.html') });
		events.fire({ type: 'disk', changes: [{ path: path.resolve('/site2/a.html'), kind: 'changed' }] });
		mock.timers.tick(1000);
		assert.deepEqual(batches, [[{ path: page, kind: 'changed' }]]);
	});

	it('stops reporting once disposed, pending keystrokes included', () => {
		const { events, batches, source } = setup('change');
		events.fire({ type: 'edited', path: page });
		source.dispose();
		mock.timers.tick(1000);
		events.fire({ type: 'overlayChanged', path: page });
		assert.equal(batches.length, 0);
	});
});

describe('EditorChangeSource, reloadOn save', () => {
	it('ignores keystrokes and reports a save once, whether didSave or the watcher comes first', async () => {
		const { events, batches, tags } = setup('save', [page]);
		events.fire({ type: 'edited', path: page });
		tags.set(page, 'v1');
		events.fire({ type: 'saved', path: page });
		events.fire({ type: 'disk', changes: [{ path: page, kind: 'changed' }] });
		await waitFor(() => batches.length === 1);
		tags.set(page, 'v2');
		events.fire({ type: 'disk', changes: [{ path: page, kind: 'changed' }] });
		events.fire({ type: 'saved', path: page });
		await waitFor(() => batches.length === 2);
		// A marker change after both: had either echo slipped through, it would arrive before the marker.
		events.fire({ type: 'disk', changes: [{ path: css, kind: 'changed' }] });
		assert.deepEqual(batches, [[{ path: page, kind: 'changed' }], [{ path: page, kind: 'changed' }], [{ path: css, kind: 'changed' }]]);
	});

	it('passes disk changes of files that are not open straight through', () => {
		const { events, batches } = setup('save');
		events.fire({ type: 'disk', changes: [{ path: page, kind: 'changed' }] });
		assert.deepEqual(batches, [[{ path: page, kind: 'changed' }]]);
	});
});

describe('EditorChangeSource, handler sources (disk only)', () => {
	const handler = path.join(root, 'api', 'hello.ts');
	const isDiskOnly = (filePath: string) => filePath.startsWith(path.join(root, 'api') + path.sep);

	it('ignores keystrokes in handler files and reports their saves, while pages still follow typing', async () => {
		mock.timers.enable({ apis: ['setTimeout'] });
		try {
			const { events, batches, tags } = setup('change', [page, handler], isDiskOnly);
			events.fire({ type: 'edited', path: handler });
			events.fire({ type: 'edited', path: page });
			mock.timers.tick(200);
			assert.deepEqual(batches, [[{ path: page, kind: 'changed' }]]);
			tags.set(handler, 'v1');
			mock.timers.reset();
			events.fire({ type: 'disk', changes: [{ path: handler, kind: 'changed' }] });
			events.fire({ type: 'saved', path: handler });
			await waitFor(() => batches.length === 2);
			events.fire({ type: 'disk', changes: [{ path: css, kind: 'changed' }] });
			assert.deepEqual(batches.slice(1), [[{ path: handler, kind: 'changed' }], [{ path: css, kind: 'changed' }]]);
		} finally {
			mock.timers.reset();
		}
	});
});

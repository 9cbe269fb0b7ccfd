import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { DiskFileSource } from '../../server-core/documents/fileSource';
import { OverlayFileSource, UnsavedDocuments } from '../../server-core/documents/overlayFileSource';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let page: string;

before(() => {
	workspace = createTempWorkspace();
	page = workspace.write('page.html', '<p>disk</p>');
	workspace.write('other.txt', 'other');
});
after(() => workspace.remove());

const buffer = (value: string) => ({ getText: () => value });

describe('OverlayFileSource', () => {
	it('serves the disk when no buffer is open', async () => {
		const source = new OverlayFileSource(new UnsavedDocuments());
		assert.equal((await source.readFile(page)).toString(), '<p>disk</p>');
		assert.deepEqual(await source.stat(page), await new DiskFileSource().stat(page));
	});

	it('streams ranges from the buffer when one is open and from the disk otherwise', async () => {
		const documents = new UnsavedDocuments();
		const source = new OverlayFileSource(documents);
		const collect = async (file: string, range: { start: number; end: number }) => {
			const chunks: Buffer[] = [];
			const sink = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
			await source.streamRange(file, range, sink);
			assert.equal(sink.writableEnded, false, 'the caller ends the response');
			return Buffer.concat(chunks).toString();
		};
		assert.equal(await collect(page, { start: 3, end: 6 }), 'disk');
		documents.set(page, buffer('<p>unsaved</p>'));
		assert.equal(await collect(page, { start: 3, end: 9 }), 'unsaved');
	});

	it('serves an open buffer as UTF-8, with its byte size', async () => {
		const documents = new UnsavedDocuments();
		const source = new OverlayFileSource(documents);
		documents.set(page, buffer('<p>unsaved ✓</p>'));
		assert.equal((await source.readFile(page)).toString('utf8'), '<p>unsaved ✓</p>');
		const info = (await source.stat(page))!;
		assert.equal(info.kind, 'file');
		assert.equal(info.size, Buffer.byteLength('<p>unsaved ✓</p>'));
		assert.deepEqual(source.statSync(page), info);
		assert.equal(await text(source.createReadStream(page)), '<p>unsaved ✓</p>');
		assert.equal(await text(source.createReadStream(page, { start: 3, end: 9 })), 'unsaved');
	});

	it('changes the version tag on every edit, never reusing one (even after close and reopen)', async () => {
		const documents = new UnsavedDocuments();
		const source = new OverlayFileSource(documents);
		const disk = (await source.stat(page))!.versionTag;
		const tags = new Set<string>([disk]);
		for (const value of ['a', 'b', 'a', 'a']) {
			documents.set(page, buffer(value));
			tags.add((await source.stat(page))!.versionTag);
		}
		documents.delete(page);
		assert.equal((await source.stat(page))!.versionTag, disk, 'closed: the disk tag again');
		documents.set(page, buffer('a'));
		tags.add((await source.stat(page))!.versionTag);
		assert.equal(tags.size, 6);
	});

	it('encodes lazily: typing costs nothing until something is read', () => {
		const documents = new UnsavedDocuments();
		let reads = 0;
		for (let i = 0; i < 100; i++) documents.set(page, { getText: () => (reads++, `v${i}`) });
		assert.equal(reads, 0);
		assert.equal(documents.bytes(page)!.toString(), 'v99');
		documents.bytes(page);
		assert.equal(reads, 1);
	});

	it('shows buffer sizes in listings and keeps serving a buffer whose file was deleted', async () => {
		const documents = new UnsavedDocuments();
		const source = new OverlayFileSource(documents);
		documents.set(page, buffer('0123456789abcdef'));
		const entries = await source.readDirectory(workspace.root);
		assert.equal(entries.find((entry) => entry.name === 'page.html')?.size, 16);
		assert.equal(entries.find((entry) => entry.name === 'other.txt')?.size, 5);

		const gone = path.join(workspace.root, 'gone.html');
		documents.set(gone, buffer('still here'));
		assert.equal(await source.realpath(gone), gone);
		assert.equal((await source.readFile(gone)).toString(), 'still here');
		documents.delete(gone);
		await assert.rejects(source.realpath(gone), { code: 'ENOENT' });
		assert.equal(fs.existsSync(gone), false);
	});
});

import * as path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, DirectoryEntry, FileInfo, FileSource } from './fileSource';
import { DiskFileSource } from './fileSource';

/** What the overlay needs from an open editor buffer (a vscode-languageserver TextDocument fits). */
export interface OverlayText {
	getText(): string;
}

interface Slot {
	text: OverlayText;
	/** Unique across every document and edit, so a versionTag never repeats (not even after close and reopen). */
	tag: string;
	mtimeMs: number;
	/** UTF-8 bytes of the text, encoded on first read after each edit (typing costs nothing until a request). */
	bytes: Buffer | undefined;
}

let nextTag = 0;

/**
 * The editor's open buffers, by absolute path: what a page should show before it is saved.
 * Text is served as UTF-8 whatever the file's encoding on disk.
 */
export class UnsavedDocuments {
	private readonly _slots = new Map<string, Slot>();

	/** Records the buffer's current text (on open and on every edit). */
	set(filePath: string, text: OverlayText): void {
		this._slots.set(filePath, { text, tag: `u${(nextTag++).toString(36)}`, mtimeMs: Date.now(), bytes: undefined });
	}

	/** The buffer was closed: the file on disk is served again. */
	delete(filePath: string): boolean {
		return this._slots.delete(filePath);
	}

	has(filePath: string): boolean {
		return this._slots.has(filePath);
	}

	get paths(): string[] {
		return [...this._slots.keys()];
	}

	bytes(filePath: string): Buffer | undefined {
		const slot = this._slots.get(filePath);
		if (slot === undefined) return undefined;
		slot.bytes ??= Buffer.from(slot.text.getText(), 'utf8');
		return slot.bytes;
	}

	info(filePath: string): FileInfo | undefined {
		const slot = this._slots.get(filePath);
		const bytes = this.bytes(filePath);
		if (slot === undefined || bytes === undefined) return undefined;
		return { kind: 'file', size: bytes.length, mtimeMs: slot.mtimeMs, versionTag: slot.tag };
	}
}

/** Unsaved buffers first, then the disk: the served site is what the editor shows. */
export class OverlayFileSource implements FileSource {
	constructor(private readonly _documents: UnsavedDocuments, private readonly _disk: FileSource = new DiskFileSource()) {}

	async stat(filePath: string): Promise<FileInfo | undefined> {
		return this._documents.info(filePath) ?? this._disk.stat(filePath);
	}

	statSync(filePath: string): FileInfo | undefined {
		return this._documents.info(filePath) ?? this._disk.statSync(filePath);
	}

	async readFile(filePath: string): Promise<Buffer> {
		return this._documents.bytes(filePath) ?? this._disk.readFile(filePath);
	}

	createReadStream(filePath: string, range?: ByteRange): Readable {
		const bytes = this._documents.bytes(filePath);
		if (bytes === undefined) return this._disk.createReadStream(filePath, range);
		return Readable.from([range === undefined ? bytes : bytes.subarray(range.start, range.end + 1)]);
	}

	/** Disk files keep the disk source's bounded-memory streaming; buffers are already in memory. */
	async streamRange(filePath: string, range: ByteRange, output: Writable): Promise<void> {
		const bytes = this._documents.bytes(filePath);
		if (bytes === undefined && this._disk.streamRange) return this._disk.streamRange(filePath, range, output);
		await pipeline(this.createReadStream(filePath, range), output, { end: false });
	}

	async readDirectory(directoryPath: string): Promise<DirectoryEntry[]> {
		const entries = await this._disk.readDirectory(directoryPath);
		return entries.map((entry) => {
			const info = this._documents.info(path.join(directoryPath, entry.name));
			return info === undefined ? entry : { ...entry, kind: 'file', size: info.size, mtimeMs: info.mtimeMs };
		});
	}

	async realpath(filePath: string): Promise<string> {
		try {
			return await this._disk.realpath(filePath);
		} catch (error) {
			// A buffer whose file is gone from disk (deleted or renamed while open) is still served where it was.
			if (this._documents.has(filePath)) return filePath;
			throw error;
		}
	}
}

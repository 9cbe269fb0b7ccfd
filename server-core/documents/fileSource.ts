import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

export type FileKind = 'file' | 'directory' | 'other';

export interface FileInfo {
	kind: FileKind;
	size: number;
	mtimeMs: number;
	/** Opaque; changes whenever the content may have changed. Caches and ETags are keyed by it. */
	versionTag: string;
}

export interface DirectoryEntry {
	name: string;
	kind: FileKind;
	size: number;
	mtimeMs: number;
}

export interface ByteRange {
	start: number;
	end: number;
}

/**
 * Where the static server reads from. The disk source is the default; the extension layers unsaved editor
 * buffers over it, so a page can be served (and reloaded) before it is saved.
 */
export interface FileSource {
	stat(filePath: string): Promise<FileInfo | undefined>;
	/** Synchronous stat for revalidating cached entries: on a local disk it is several times cheaper than the async form. */
	statSync(filePath: string): FileInfo | undefined;
	readFile(filePath: string): Promise<Buffer>;
	createReadStream(filePath: string, range?: ByteRange): Readable;
	readDirectory(directoryPath: string): Promise<DirectoryEntry[]>;
	realpath(filePath: string): Promise<string>;
}

/** Reads straight from the file system; symlinks are followed (containment is checked by the caller). */
export class DiskFileSource implements FileSource {
	async stat(filePath: string): Promise<FileInfo | undefined> {
		try {
			return toFileInfo(await fs.promises.stat(filePath));
		} catch (error) {
			if (isMissing(error)) return undefined;
			throw error;
		}
	}

	statSync(filePath: string): FileInfo | undefined {
		try {
			const stats = fs.statSync(filePath, { throwIfNoEntry: false });
			return stats === undefined ? undefined : toFileInfo(stats);
		} catch (error) {
			if (isMissing(error)) return undefined;
			throw error;
		}
	}

	readFile(filePath: string): Promise<Buffer> {
		return fs.promises.readFile(filePath);
	}

	createReadStream(filePath: string, range?: ByteRange): Readable {
		return fs.createReadStream(filePath, range === undefined ? {} : { start: range.start, end: range.end });
	}

	async readDirectory(directoryPath: string): Promise<DirectoryEntry[]> {
		const names = await fs.promises.readdir(directoryPath);
		const entries = await Promise.all(names.map(async (name): Promise<DirectoryEntry> => {
			// stat, not lstat: a symlinked folder should list as a folder. Broken links list as 'other'.
			const info = await this.stat(path.join(directoryPath, name)).catch(() => undefined);
			return { name, kind: info?.kind ?? 'other', size: info?.size ?? 0, mtimeMs: info?.mtimeMs ?? 0 };
		}));
		return entries;
	}

	realpath(filePath: string): Promise<string> {
		return fs.promises.realpath(filePath);
	}
}

export function toFileInfo(stats: fs.Stats): FileInfo {
	const kind: FileKind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
	// Inode, size and sub-millisecond mtime: two saves in the same second still get different tags.
	// (Decimal on purpose: this runs on every cached request and base-10 conversion is the fast one.)
	const versionTag = `${stats.ino}-${stats.size}-${stats.mtimeMs}`;
	return { kind, size: stats.size, mtimeMs: stats.mtimeMs, versionTag };
}

/** ENOENT and ENOTDIR (a path through a file) both mean "nothing there". */
export function isMissing(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { toFileInfo } from '../documents/fileSource';

interface InputState {
	/** ino-size-mtime, or '' when the file is missing. */
	tag: string;
	mtimeMs: number;
	hash: string;
}

/**
 * Files change within one mtime tick (1-10 ms on common file systems) faster than a stat can tell. As git does
 * for "racily clean" entries, a file modified in the last `RACY_MS` is also compared by content.
 */
const RACY_MS = 2000;
/** A tag no file has: the file's state when the build read it is unknown. */
const UNSURE = '?';

/**
 * What a build read (its metafile inputs) and in which state, so "is the build still current?" is answered on
 * every request by a few `statSync` calls: the next request after a save runs the new code, whatever the
 * file watcher has (or has not yet) reported.
 */
export class InputSnapshot {
	private constructor(private readonly _states: ReadonlyMap<string, InputState>) {}

	/**
	 * States of `files`: from `reuse` (taken before the build read them) where it has them. The others were first
	 * read by the build itself; one modified since `unsureSince` (the build's start) may have changed after esbuild
	 * read it, so it is recorded as unknown and the snapshot is stale at once: the next request rebuilds.
	 */
	static take(files: Iterable<string>, reuse?: InputSnapshot, unsureSince = Number.POSITIVE_INFINITY): InputSnapshot {
		const states = new Map<string, InputState>();
		for (const file of files) {
			const state = reuse?._states.get(file) ?? readState(file);
			states.set(file, state.tag !== '' && state.mtimeMs >= unsureSince ? { ...state, tag: UNSURE } : state);
		}
		return new InputSnapshot(states);
	}

	get files(): string[] {
		return [...this._states.keys()];
	}

	has(file: string): boolean {
		return this._states.has(file);
	}

	/** True when any input was edited, replaced or deleted since the snapshot. */
	isStale(now = Date.now()): boolean {
		for (const [file, state] of this._states) {
			const info = statTag(file);
			if (info.tag !== state.tag) return true;
			if (info.tag !== '' && now - info.mtimeMs < RACY_MS && hashFile(file) !== state.hash) return true;
		}
		return false;
	}
}

function statTag(file: string): { tag: string; mtimeMs: number } {
	try {
		const stats = fs.statSync(file, { throwIfNoEntry: false });
		if (stats === undefined) return { tag: '', mtimeMs: 0 };
		return { tag: toFileInfo(stats).versionTag, mtimeMs: stats.mtimeMs };
	} catch {
		return { tag: '', mtimeMs: 0 };
	}
}

function readState(file: string): InputState {
	const { tag, mtimeMs } = statTag(file);
	return { tag, mtimeMs, hash: tag === '' ? '' : hashFile(file) };
}

function hashFile(file: string): string {
	try {
		return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
	} catch {
		return '';
	}
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Disposable } from '../disposable';
import type { ChangeSource, FileChange } from './changeSource';
import { findGitDir, isGitActivity } from './gitActivity';
import { ignoredUnder } from './ignoreMatcher';

/** macOS (FSEvents) and Windows (ReadDirectoryChangesW) watch a whole tree natively and cheaply. */
const NATIVE_RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Watches a folder tree in CLI mode (in VS Code the editor's own watcher reports changes instead).
 *
 * Built on `fs.watch` directly, because latency is the point of live reload:
 * - On Linux, one inotify watch per folder (never inside ignored folders such as node_modules). Node 20's
 *   `recursive: true` there is a JavaScript emulation that watches every single file and walks the tree
 *   synchronously; chokidar stats and re-reads folders before it reports, which measured 150-200 ms late
 *   for new folders and left gaps that split a `git checkout` storm into several reloads.
 * - Elsewhere, the platform's native recursive watch.
 * Each event is reported at once; `ChangeBatcher` does the coalescing. The repository's git folder (ignored, and
 * maybe above the root) is watched too, shallowly, for the lock files that announce a checkout.
 */
export class FsChangeSource implements ChangeSource {
	private readonly _emitter = new Emitter<readonly FileChange[]>();
	private readonly _watchers = new Map<string, fs.FSWatcher>();
	private _gitWatcher: fs.FSWatcher | undefined;
	private _closed = false;
	private readonly _ignoredPath: (absolutePath: string) => boolean;
	/** Resolves once the initial scan is done: changes from then on are reported. */
	readonly ready: Promise<void>;

	constructor(
		private readonly _root: string,
		isIgnored: (relativePath: string) => boolean,
		private readonly _onError: (error: Error) => void = () => {},
	) {
		this._ignoredPath = ignoredUnder(_root, isIgnored);
		this.ready = NATIVE_RECURSIVE ? Promise.resolve(this._watchNative()) : this._watchTree(_root);
		this._watchGitDir();
	}

	onChanges(listener: (changes: readonly FileChange[]) => void): Disposable {
		return this._emitter.on(listener);
	}

	dispose(): void {
		this._closed = true;
		for (const watcher of this._watchers.values()) watcher.close();
		this._watchers.clear();
		this._gitWatcher?.close();
		this._emitter.dispose();
	}

	private _watchNative(): void {
		this._addWatcher(this._root, { recursive: true });
	}

	/** Reports git's lock files (nothing else of its folder): they tell the batcher that a storm is coming. */
	private _watchGitDir(): void {
		const gitDir = findGitDir(this._root);
		if (gitDir === undefined) return;
		try {
			this._gitWatcher = fs.watch(gitDir, { persistent: false }, (_event, name) => {
				const changedPath = name === null ? undefined : path.join(gitDir, name.toString());
				if (!this._closed && changedPath !== undefined && isGitActivity(changedPath)) this._emitter.fire([{ path: changedPath, kind: 'changed' }]);
			});
			this._gitWatcher.on('error', () => this._gitWatcher?.close());
		} catch {
			// Not watchable (permissions, a network drive): checkouts are then only coalesced by their size.
		}
	}

	/** Watches `directory` and, asynchronously, every folder below it that is not ignored. */
	private async _watchTree(directory: string): Promise<void> {
		if (this._closed || this._watchers.has(directory) || !this._addWatcher(directory, { recursive: false })) return;
		let entries: fs.Dirent[];
		try {
			entries = await fs.promises.readdir(directory, { withFileTypes: true });
		} catch {
			return; // removed meanwhile: its deletion is reported by the parent's watcher
		}
		await Promise.all(entries
			.filter((entry) => entry.isDirectory() && !this._ignoredPath(path.join(directory, entry.name)))
			.map((entry) => this._watchTree(path.join(directory, entry.name))));
	}

	private _addWatcher(directory: string, options: { recursive: boolean }): boolean {
		try {
			// Not persistent: watching never keeps a process alive on its own.
			const watcher = fs.watch(directory, { persistent: false, recursive: options.recursive }, (event, name) => this._onEvent(directory, event, name));
			watcher.on('error', (error) => this._forget(directory, error));
			this._watchers.set(directory, watcher);
			return true;
		} catch (error) {
			this._reportError(error);
			return false;
		}
	}

	private _onEvent(directory: string, event: fs.WatchEventType, name: string | Buffer | null): void {
		if (this._closed) return;
		if (name === null) {
			// The platform could not say what changed (event overflow): report the folder itself.
			this._emitter.fire([{ path: directory, kind: 'changed' }]);
			return;
		}
		const changedPath = path.join(directory, name.toString());
		if (this._ignoredPath(changedPath)) return;
		if (event === 'change') {
			this._emitter.fire([{ path: changedPath, kind: 'changed' }]);
			return;
		}
		// 'rename' means created, deleted or moved: one lstat tells which.
		const stats = fs.lstatSync(changedPath, { throwIfNoEntry: false });
		if (stats === undefined) {
			this._emitter.fire([{ path: changedPath, kind: 'deleted', isDirectory: this._watchers.has(changedPath) }]);
			this._unwatchBelow(changedPath);
			return;
		}
		this._emitter.fire([{ path: changedPath, kind: 'created', isDirectory: stats.isDirectory() }]);
		if (stats.isDirectory() && !NATIVE_RECURSIVE) void this._watchTree(changedPath);
	}

	private _unwatchBelow(removed: string): void {
		for (const [directory, watcher] of this._watchers) {
			if (directory === removed || directory.startsWith(removed + path.sep)) {
				watcher.close();
				this._watchers.delete(directory);
			}
		}
	}

	private _forget(directory: string, error: Error): void {
		this._watchers.get(directory)?.close();
		this._watchers.delete(directory);
		// A watched folder that disappears errors on some platforms; that is not a failure of watching.
		if ((error as NodeJS.ErrnoException).code !== 'EPERM' && fs.existsSync(directory)) this._reportError(error);
	}

	private _reportError(error: unknown): void {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return;
		this._onError(error instanceof Error ? error : new Error(String(error)));
	}
}

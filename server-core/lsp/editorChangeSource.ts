import * as path from 'node:path';
import { Emitter, type Disposable } from '../disposable';
import type { FileSource } from '../documents/fileSource';
import type { UnsavedDocuments } from '../documents/overlayFileSource';
import type { ReloadOn } from '../protocol/configuration';
import type { ChangeSource, FileChange } from '../reload/changeSource';

/** What the editor reports, connection-wide (every session sees every event and keeps what is under its root). */
export type EditorEvent =
	/** textDocument/didChange: an unsaved buffer changed. */
	| { type: 'edited'; path: string }
	/** textDocument/didSave. */
	| { type: 'saved'; path: string }
	/** didOpen/didClose changed what the overlay serves for this path (a dirty buffer opened, or discarded). */
	| { type: 'overlayChanged'; path: string }
	/** workspace/didChangeWatchedFiles. */
	| { type: 'disk'; changes: readonly FileChange[] };

export interface EditorChangeSourceOptions {
	root: string;
	reloadOn: ReloadOn;
	/** Quiet time after the last keystroke before the edited files count as changed (reloadOn `change`). */
	typingDebounceMs: number;
	events: { on(listener: (event: EditorEvent) => void): Disposable };
	documents: UnsavedDocuments;
	/**
	 * Paths that are always served from disk, whatever `reloadOn` says (handler sources: handlers run saved
	 * code). For them keystrokes are ignored and saves count, as with `reloadOn: save`.
	 */
	isDiskOnly?: (filePath: string) => boolean;
	/** The disk, to tell a save from the watcher echo of the same save. */
	disk: FileSource;
	/**
	 * A watcher of our own, for roots the editor does not watch (a single file opened without a folder, or a
	 * `root` setting outside the folder). Then `disk` events are ignored. Disposed with this source.
	 */
	watcher?: ChangeSource;
}

/**
 * The session's ChangeSource in the editor. With `reloadOn: change` the overlay serves open buffers, so
 * keystrokes (debounced) are the changes, and disk writes of open files (their saves) are not. With
 * `reloadOn: save` the disk is served, so a save is the change; its watcher echo is dropped by version tag.
 */
export class EditorChangeSource implements ChangeSource {
	private readonly _emitter = new Emitter<readonly FileChange[]>();
	private readonly _subscriptions: Disposable[] = [];
	private readonly _typed = new Set<string>();
	private _typingTimer: NodeJS.Timeout | undefined;
	/** Version tag on disk last announced per open file (reloadOn `save`), and the per-path check in flight. */
	private readonly _announced = new Map<string, string>();
	private readonly _checks = new Map<string, Promise<void>>();
	private _disposed = false;

	constructor(private readonly _options: EditorChangeSourceOptions) {
		this._subscriptions.push(_options.events.on((event) => this._onEvent(event)));
		if (_options.watcher) {
			this._subscriptions.push(_options.watcher, _options.watcher.onChanges((changes) => this._onDisk(changes)));
		}
	}

	onChanges(listener: (changes: readonly FileChange[]) => void): Disposable {
		return this._emitter.on(listener);
	}

	dispose(): void {
		this._disposed = true;
		clearTimeout(this._typingTimer);
		for (const subscription of this._subscriptions.splice(0)) subscription.dispose();
		this._emitter.dispose();
	}

	private _onEvent(event: EditorEvent): void {
		if (event.type === 'disk') {
			if (this._options.watcher === undefined) this._onDisk(event.changes);
			return;
		}
		if (!this._isUnderRoot(event.path)) return;
		const typing = this._options.reloadOn === 'change' && this._options.isDiskOnly?.(event.path) !== true;
		if (event.type === 'edited' && typing) {
			this._typed.add(event.path);
			clearTimeout(this._typingTimer);
			this._typingTimer = setTimeout(() => this._flushTyping(), this._options.typingDebounceMs);
		} else if (event.type === 'overlayChanged' && typing) {
			this._emit([{ path: event.path, kind: 'changed' }]);
		} else if (event.type === 'saved') {
			// Saving ends the pause early when typing; otherwise the save is the change.
			if (typing) this._flushTyping();
			else this._announceIfNew(event.path);
		}
	}

	private _onDisk(changes: readonly FileChange[]): void {
		const passed: FileChange[] = [];
		for (const change of changes) {
			if (!this._isUnderRoot(change.path)) continue;
			const open = change.kind === 'changed' && this._options.documents.has(change.path);
			if (!open) passed.push(change);
			// An open file's buffer is what is served (`change`), or its save is announced by didSave (`save`).
			else if (this._options.reloadOn === 'save' || this._options.isDiskOnly?.(change.path) === true) this._announceIfNew(change.path);
		}
		if (passed.length > 0) this._emit(passed);
	}

	private _flushTyping(): void {
		clearTimeout(this._typingTimer);
		this._typingTimer = undefined;
		if (this._typed.size === 0) return;
		const changes = [...this._typed].map((filePath): FileChange => ({ path: filePath, kind: 'changed' }));
		this._typed.clear();
		this._emit(changes);
	}

	/** Announces a change of an open file once per version on disk: didSave and the watcher both report a save. */
	private _announceIfNew(filePath: string): void {
		const previous = this._checks.get(filePath) ?? Promise.resolve();
		const check = previous.then(async () => {
			const info = await this._options.disk.stat(filePath).catch(() => undefined);
			const tag = info?.versionTag ?? 'missing';
			if (this._announced.get(filePath) === tag) return;
			this._announced.set(filePath, tag);
			this._emit([{ path: filePath, kind: info === undefined ? 'deleted' : 'changed' }]);
		});
		this._checks.set(filePath, check);
		void check.finally(() => {
			if (this._checks.get(filePath) === check) this._checks.delete(filePath);
		});
	}

	private _emit(changes: readonly FileChange[]): void {
		if (!this._disposed) this._emitter.fire(changes);
	}

	private _isUnderRoot(filePath: string): boolean {
		const relative = path.relative(this._options.root, filePath);
		return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
	}
}

import type { Disposable } from '../disposable';

export type FileChangeKind = 'created' | 'changed' | 'deleted';

/** One file-system change under a served root. */
export interface FileChange {
	/** Absolute path. */
	path: string;
	kind: FileChangeKind;
	/** True when a folder was created or deleted (when the source knows): a sign of a bulk operation, not a save. */
	isDirectory?: boolean;
}

/**
 * Where change notifications come from: a file watcher in CLI mode, VS Code (LSP didChangeWatchedFiles and
 * unsaved-buffer edits) in extension mode. Consumers do not care which.
 */
export interface ChangeSource extends Disposable {
	onChanges(listener: (changes: readonly FileChange[]) => void): Disposable;
}

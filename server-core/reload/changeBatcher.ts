import type { Disposable } from '../disposable';
import type { FileChange } from './changeSource';

export interface BatchTiming {
	/** Quiet time that ends a batch: short, so a single save is announced within milliseconds. */
	quietMs: number;
	/** Once a batch is this large, or has a folder created or deleted, it is a storm (git checkout, a build)... */
	stormThreshold: number;
	/** ...and only a longer quiet time ends it, so thousands of files still give one reload. */
	stormQuietMs: number;
	/** Never hold a batch longer than this, so continuous writers still get periodic reloads. */
	maxWaitMs: number;
}

export const DEFAULT_BATCH_TIMING: BatchTiming = { quietMs: 5, stormThreshold: 50, stormQuietMs: 400, maxWaitMs: 10_000 };

/**
 * Coalesces bursts of file changes into batches. A trailing debounce whose quiet period grows with the size
 * of the batch: an editor's save (truncate + write, or write-temp + rename) fires after `quietMs`; a storm
 * of thousands of changes fires once, when it is over.
 */
export class ChangeBatcher implements Disposable {
	private _pending = new Map<string, FileChange>();
	private _folderChanged = false;
	private _quietTimer: NodeJS.Timeout | undefined;
	private _maxTimer: NodeJS.Timeout | undefined;

	constructor(private readonly _onBatch: (changes: FileChange[]) => void, private readonly _timing: BatchTiming = DEFAULT_BATCH_TIMING) {}

	add(changes: readonly FileChange[]): void {
		for (const change of changes) {
			// The latest event per path wins (created then changed is still "there").
			const previous = this._pending.get(change.path);
			this._pending.set(change.path, previous?.kind === 'created' && change.kind === 'changed' ? previous : change);
			// Editors never create or delete folders when saving; checkouts, builds and copies do.
			if (change.isDirectory === true && change.kind !== 'changed') this._folderChanged = true;
		}
		if (this._pending.size === 0) return;
		const storm = this._folderChanged || this._pending.size >= this._timing.stormThreshold;
		const quiet = storm ? this._timing.stormQuietMs : this._timing.quietMs;
		clearTimeout(this._quietTimer);
		this._quietTimer = setTimeout(() => this.flush(), quiet);
		this._maxTimer ??= setTimeout(() => this.flush(), this._timing.maxWaitMs);
	}

	/** Emits whatever is pending now. */
	flush(): void {
		clearTimeout(this._quietTimer);
		clearTimeout(this._maxTimer);
		this._quietTimer = undefined;
		this._maxTimer = undefined;
		if (this._pending.size === 0) return;
		const batch = [...this._pending.values()];
		this._pending = new Map();
		this._folderChanged = false;
		this._onBatch(batch);
	}

	dispose(): void {
		clearTimeout(this._quietTimer);
		clearTimeout(this._maxTimer);
		this._pending.clear();
		this._folderChanged = false;
	}
}

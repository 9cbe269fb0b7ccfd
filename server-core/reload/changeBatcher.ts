import type { Disposable } from '../disposable';
import type { FileChange } from './changeSource';
import { isGitActivity } from './gitActivity';

export interface BatchTiming {
	/** Debounce that ends a burst's first batch: short, so a single save is announced within milliseconds. */
	quietMs: number;
	/** Changes closer together than this are one burst: after its first batch, the rest wait for a gap this long. */
	burstGapMs: number;
	/** Once a batch is this large, has a folder created or deleted, or git is at work, it is a storm (checkout, build)... */
	stormThreshold: number;
	/** ...and only a longer quiet time ends it, so thousands of files still give one reload. */
	stormQuietMs: number;
	/** Never hold a batch longer than this, so a writer that never pauses still gets a reload now and then. */
	maxWaitMs: number;
}

export const DEFAULT_BATCH_TIMING: BatchTiming = { quietMs: 5, burstGapMs: 50, stormThreshold: 10, stormQuietMs: 400, maxWaitMs: 10_000 };

/**
 * Coalesces bursts of file changes into batches, so a burst gives at most two messages:
 * - the first change of a burst is announced after `quietMs` (an editor's save: truncate + write, or a rename);
 * - changes that keep coming less than `burstGapMs` apart belong to the same burst, and wait until it ends (a
 *   build tool writing for seconds reloads the page twice, not once per write);
 * - a storm (many files, folders created or deleted, git at work) waits `stormQuietMs` from its first event,
 *   so a checkout of thousands of files is one batch.
 */
export class ChangeBatcher implements Disposable {
	private _pending = new Map<string, FileChange>();
	private _storm = false;
	private _quietTimer: NodeJS.Timeout | undefined;
	private _maxTimer: NodeJS.Timeout | undefined;
	/** When the last change arrived, and whether its burst has had its first batch. */
	private _lastChangeAt = -Infinity;
	private _burstAnnounced = false;

	constructor(private readonly _onBatch: (changes: FileChange[]) => void, private readonly _timing: BatchTiming = DEFAULT_BATCH_TIMING) {}

	add(changes: readonly FileChange[]): void {
		if (changes.length === 0) return;
		const now = Date.now();
		if (now - this._lastChangeAt >= this._timing.burstGapMs) this._burstAnnounced = false; // a pause: a new burst
		this._lastChangeAt = now;
		for (const change of changes) {
			// The latest event per path wins (created then changed is still "there").
			const previous = this._pending.get(change.path);
			this._pending.set(change.path, previous?.kind === 'created' && change.kind === 'changed' ? previous : change);
			// Editors never create or delete folders when saving, nor run git; checkouts, builds and copies do.
			if ((change.isDirectory === true && change.kind !== 'changed') || isGitActivity(change.path)) this._storm = true;
		}
		if (this._pending.size >= this._timing.stormThreshold) this._storm = true;
		const quiet = this._storm ? this._timing.stormQuietMs : this._burstAnnounced ? this._timing.burstGapMs : this._timing.quietMs;
		clearTimeout(this._quietTimer);
		this._quietTimer = setTimeout(() => this.flush(), quiet);
		this._maxTimer ??= setTimeout(() => this.flush(), this._timing.maxWaitMs);
	}

	dispose(): void {
		this._clearTimers();
		this._pending.clear();
		this._storm = false;
	}

	/** Emits whatever is pending now. */
	flush(): void {
		this._clearTimers();
		if (this._pending.size === 0) return;
		const batch = [...this._pending.values()];
		this._pending = new Map();
		this._storm = false;
		this._burstAnnounced = true;
		this._onBatch(batch);
	}

	private _clearTimers(): void {
		clearTimeout(this._quietTimer);
		clearTimeout(this._maxTimer);
		this._quietTimer = undefined;
		this._maxTimer = undefined;
	}
}

export interface CacheLimits {
	/** Larger items are never cached (they stream from disk instead). */
	maxEntryBytes: number;
	/** Least recently used items are evicted past this total. */
	maxTotalBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntryBytes: 512 * 1024, maxTotalBytes: 32 * 1024 * 1024 };

interface Slot<T> {
	value: T;
	bytes: number;
	lastUsed: number;
}

/** A byte-bounded LRU map. Validity is the caller's business (entries carry the version they were built from). */
export class RepresentationCache<T> {
	private readonly _slots = new Map<string, Slot<T>>();
	private _totalBytes = 0;
	private _clock = 0;

	constructor(readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {}

	get totalBytes(): number {
		return this._totalBytes;
	}

	get size(): number {
		return this._slots.size;
	}

	accepts(byteSize: number): boolean {
		return byteSize <= this.limits.maxEntryBytes;
	}

	get(key: string): T | undefined {
		const slot = this._slots.get(key);
		if (slot === undefined) return undefined;
		// A counter rather than re-insertion: hits are the hot path, evictions are rare.
		slot.lastUsed = ++this._clock;
		return slot.value;
	}

	set(key: string, value: T, bytes: number): void {
		if (!this.accepts(bytes)) return;
		this.delete(key);
		this._slots.set(key, { value, bytes, lastUsed: ++this._clock });
		this._totalBytes += bytes;
		this._evictOverflow();
	}

	/** Accounts for bytes an entry gained after insertion (a compressed variant). */
	grow(key: string, value: T, extraBytes: number): void {
		const slot = this._slots.get(key);
		if (slot === undefined || slot.value !== value) return;
		slot.bytes += extraBytes;
		this._totalBytes += extraBytes;
		this._evictOverflow();
	}

	delete(key: string): void {
		const slot = this._slots.get(key);
		if (slot === undefined) return;
		this._slots.delete(key);
		this._totalBytes -= slot.bytes;
	}

	clear(): void {
		this._slots.clear();
		this._totalBytes = 0;
	}

	private _evictOverflow(): void {
		while (this._totalBytes > this.limits.maxTotalBytes && this._slots.size > 0) {
			let oldestKey: string | undefined;
			let oldest = Infinity;
			for (const [key, slot] of this._slots) {
				if (slot.lastUsed < oldest) {
					oldest = slot.lastUsed;
					oldestKey = key;
				}
			}
			this.delete(oldestKey!);
		}
	}
}

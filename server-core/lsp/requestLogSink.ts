import type { Disposable } from '../disposable';
import type { RequestLogEntry } from '../protocol/requestLog';
import type { RequestLogParams } from '../protocol/index';

export interface RequestLogBatching {
	/** The first entry of a batch waits at most this long. */
	maxDelayMs: number;
	/** A batch this large is sent at once. */
	maxEntries: number;
}

export const DEFAULT_REQUEST_LOG_BATCHING: RequestLogBatching = { maxDelayMs: 100, maxEntries: 200 };

/**
 * Collects request-log entries per served folder and sends them in batches: a page load of 50 files is one
 * notification, not 50, and a flood of requests cannot flood the client.
 */
export class RequestLogSink implements Disposable {
	private readonly _pending = new Map<string, RequestLogEntry[]>();
	private _timer: NodeJS.Timeout | undefined;

	constructor(private readonly _send: (params: RequestLogParams) => void, private readonly _batching: RequestLogBatching = DEFAULT_REQUEST_LOG_BATCHING) {}

	add(folderUri: string, entry: RequestLogEntry): void {
		let entries = this._pending.get(folderUri);
		if (entries === undefined) this._pending.set(folderUri, (entries = []));
		entries.push(entry);
		if (entries.length >= this._batching.maxEntries) this._sendFolder(folderUri);
		else this._timer ??= setTimeout(() => this.flush(), this._batching.maxDelayMs);
	}

	/** Sends everything pending now (also before a session stops, so its last requests are not lost). */
	flush(): void {
		clearTimeout(this._timer);
		this._timer = undefined;
		for (const folderUri of [...this._pending.keys()]) this._sendFolder(folderUri);
	}

	dispose(): void {
		this.flush();
	}

	private _sendFolder(folderUri: string): void {
		const entries = this._pending.get(folderUri);
		this._pending.delete(folderUri);
		if (entries !== undefined && entries.length > 0) this._send({ folderUri, entries });
		if (this._pending.size === 0) {
			clearTimeout(this._timer);
			this._timer = undefined;
		}
	}
}

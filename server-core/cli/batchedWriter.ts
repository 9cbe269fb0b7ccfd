/** Text is written at most this long after it was logged: invisible to a person, a large saving under load. */
const FLUSH_DELAY_MS = 15;
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * Collects log text and writes it in batches: under load, one write call for many lines instead of one each
 * (stderr writes are synchronous system calls for files and pipes).
 */
export class BatchedWriter {
	private _chunks: string[] = [];
	private _pendingChars = 0;
	private _timer: NodeJS.Timeout | undefined;

	constructor(private readonly _stream: { write(text: string): boolean }) {}

	write(text: string): void {
		this._chunks.push(text);
		this._pendingChars += text.length;
		if (this._pendingChars >= MAX_PENDING_CHARS) this.flush();
		else this._timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
	}

	flush(): void {
		clearTimeout(this._timer);
		this._timer = undefined;
		this._pendingChars = 0;
		if (this._chunks.length === 0) return;
		const text = this._chunks.join('');
		this._chunks = [];
		this._stream.write(text);
	}
}

/**
 * Collects text and writes it once per event-loop turn: under load, one write call for many log lines
 * instead of one each (stderr writes are synchronous for files and pipes).
 */
export class BatchedWriter {
	private _chunks: string[] = [];
	private _scheduled = false;

	constructor(private readonly _stream: { write(text: string): boolean }) {}

	write(text: string): void {
		this._chunks.push(text);
		if (this._scheduled) return;
		this._scheduled = true;
		setImmediate(() => this.flush());
	}

	flush(): void {
		this._scheduled = false;
		if (this._chunks.length === 0) return;
		const text = this._chunks.join('');
		this._chunks = [];
		this._stream.write(text);
	}
}

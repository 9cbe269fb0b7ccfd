import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { ByteRange } from '../documents/fileSource';

/** Large enough for few system calls, small enough that a dozen parallel downloads stay in a few MiB. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Copies a byte range of a file into a writable (the response) with two reusable buffers: one is read
 * from disk while the other is being written. `fs.createReadStream` allocates a fresh buffer per chunk, so a
 * few parallel multi-megabyte downloads leave tens of MiB of garbage before the collector runs; this keeps
 * memory flat whatever the size and number of downloads. Resolves when everything was handed to the
 * writable (or the writable was destroyed), without waiting for the file to close; rejects on read errors.
 */
export async function streamFileRange(filePath: string, range: ByteRange, output: Writable): Promise<void> {
	const handle = await fs.promises.open(filePath, 'r');
	try {
		const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
		let pendingWrite: Promise<void> = Promise.resolve();
		let position = range.start;
		for (let turn = 0; position <= range.end; turn++) {
			const buffer = buffers[turn % 2]!;
			const wanted = Math.min(CHUNK_BYTES, range.end - position + 1);
			const { bytesRead } = await handle.read(buffer, 0, wanted, position);
			if (bytesRead === 0) throw new Error(`${filePath} became shorter while it was being sent`);
			position += bytesRead;
			// The other buffer may be refilled only once its own write has completed.
			await pendingWrite;
			if (output.destroyed) return;
			pendingWrite = write(output, buffer.subarray(0, bytesRead));
		}
		await pendingWrite;
	} finally {
		// Not awaited: the caller ends the response at once. Waiting for the close first let a client that hangs up
		// as soon as it has every byte close the socket before `end()`, and the log called the download cut short.
		handle.close().catch(() => undefined);
	}
}

/** Resolves when the chunk has been handed on (its buffer may then be reused), or when the output is gone. */
function write(output: Writable, chunk: Buffer): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			output.off('close', done);
			resolve();
		};
		output.once('close', done);
		output.write(chunk, done);
	});
}

import { Readable } from 'node:stream';
import type { FileInfo, FileSource } from '../documents/fileSource';
import type { Exchange, HtmlInsertion } from './exchange';
import { planInjection } from './injectScript';
import type { RepresentationTraits } from './responsePlan';
import { sendFileStream } from './sendBody';

/** HTML files larger than this are streamed with the tag inserted on the way, never held in memory whole. */
export const MAX_BUFFERED_HTML_BYTES = 8 * 1024 * 1024;
/** How much of a document's start is read to find the place: usually the first step decides. */
const SCAN_STEPS = [64 * 1024, 1024 * 1024];

type StreamTraits = Omit<RepresentationTraits, 'size' | 'compressible' | 'rangeable'> & { contentType: string };

/**
 * Streams an HTML file with a tag inserted: the start of the file is read until the place is known (see
 * planInjection), then that start goes out with the tag and the rest is streamed from the source. Content-Length
 * is the file's size plus the tag's, known before anything is sent, so HEAD and GET send the same headers. Ranges
 * do not apply (as for any rewritten HTML).
 */
export async function sendInjectedHtmlStream(exchange: Exchange, source: FileSource, filePath: string, info: FileInfo, traits: StreamTraits, insertion: HtmlInsertion): Promise<void> {
	const { start, at } = await findPlace(source, filePath, info.size, insertion.marker);
	const tag = at === 'none' ? Buffer.alloc(0) : insertion.tag;
	const insertAt = at === 'none' ? start.length : at === 'end' ? info.size : at;
	const open = () => Readable.from(injectedChunks(source, filePath, info.size, start, tag, insertAt));
	return sendFileStream(exchange, source, filePath, { ...info, size: info.size + tag.length }, { ...traits, rangeable: false }, open);
}

async function findPlace(source: FileSource, filePath: string, size: number, marker: string): Promise<{ start: Buffer; at: number | 'end' | 'none' }> {
	let start: Buffer = Buffer.alloc(0);
	for (const step of SCAN_STEPS) {
		start = await readStart(source, filePath, Math.min(step, size));
		const at = planInjection(start, marker, start.length >= size);
		if (at !== undefined) return { start, at };
	}
	// A preamble longer than the last step (a huge inline script in <head>): the best place found in it.
	return { start, at: planInjection(start, marker, true) ?? 'end' };
}

async function readStart(source: FileSource, filePath: string, length: number): Promise<Buffer> {
	if (length === 0) return Buffer.alloc(0);
	const chunks: Buffer[] = [];
	for await (const chunk of source.createReadStream(filePath, { start: 0, end: length - 1 })) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** The file's bytes with `tag` at `insertAt` (inside the start already read, or at the very end). */
async function* injectedChunks(source: FileSource, filePath: string, size: number, start: Buffer, tag: Buffer, insertAt: number): AsyncGenerator<Buffer> {
	const inStart = insertAt <= start.length;
	yield* nonEmpty(inStart ? [start.subarray(0, insertAt), tag, start.subarray(insertAt)] : [start]);
	if (start.length < size) yield* source.createReadStream(filePath, { start: start.length, end: size - 1 });
	if (!inStart) yield tag;
}

function nonEmpty(chunks: Buffer[]): Buffer[] {
	return chunks.filter((chunk) => chunk.length > 0);
}

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface ZipEntry {
	name: string;
	size: number;
	/** The entry's bytes, uncompressed (stored or deflated, the two methods vsce writes). */
	read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of a zip file (a VSIX is one), from its central directory; no unzip needed. */
export function zipEntries(file: string): ZipEntry[] {
	const zip = fs.readFileSync(file);
	// The end record is the last 22 bytes plus a comment of at most 64 KiB.
	let end = -1;
	for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
		if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
			end = offset;
			break;
		}
	}
	if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
	const count = zip.readUInt16LE(end + 10);
	let offset = zip.readUInt32LE(end + 16);
	const entries: ZipEntry[] = [];
	for (let index = 0; index < count; index++) {
		if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`${file}: bad central directory entry ${index}`);
		const method = zip.readUInt16LE(offset + 10);
		const compressedSize = zip.readUInt32LE(offset + 20);
		const size = zip.readUInt32LE(offset + 24);
		const nameLength = zip.readUInt16LE(offset + 28);
		const extraLength = zip.readUInt16LE(offset + 30);
		const commentLength = zip.readUInt16LE(offset + 32);
		const localHeader = zip.readUInt32LE(offset + 42);
		const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
		entries.push({
			name,
			size,
			read() {
				if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`${file}: bad local header of ${name}`);
				const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
				const data = zip.subarray(start, start + compressedSize);
				if (method === 0) return Buffer.from(data);
				if (method === 8) return zlib.inflateRawSync(data);
				throw new Error(`${file}: ${name} uses compression method ${method}`);
			},
		});
		offset += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

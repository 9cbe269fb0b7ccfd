/**
 * The few DER (ITU-T X.690) encodings an X.509 certificate needs. Pure functions over Buffers: each returns a complete
 * tag-length-value. Nothing here parses; certificates are read back with node:crypto's X509Certificate.
 */

export function encodeLength(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
	return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));
/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
/** `[n] EXPLICIT`: a constructed context-specific wrapper around one encoded value. */
export const explicit = (tagNumber: number, value: Buffer): Buffer => tlv(0xa0 | tagNumber, value);
/** `[n] IMPLICIT` for a primitive value: the raw content bytes under a context-specific tag. */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Buffer => tlv(0x80 | tagNumber, content);

/** A non-negative INTEGER from big-endian bytes, in its minimal two's-complement form. */
export function unsignedInteger(bytes: Buffer): Buffer {
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0) start++;
	const trimmed = bytes.subarray(start);
	return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : Buffer.from(trimmed.length ? trimmed : [0]));
}

export function smallInteger(value: number): Buffer {
	const bytes: number[] = [];
	for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
	return unsignedInteger(Buffer.from(bytes.length ? bytes : [0]));
}

export function objectIdentifier(dotted: string): Buffer {
	const arcs = dotted.split('.').map(Number);
	if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new Error(`Invalid OID ${dotted}`);
	const bytes = [40 * arcs[0]! + arcs[1]!];
	for (const arc of arcs.slice(2)) {
		const groups = [arc & 0x7f];
		for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest & 0x7f));
		bytes.push(...groups);
	}
	return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always in UTC to the second. */
export function time(date: Date): Buffer {
	const iso = date.toISOString(); // 2026-11-22T10:00:00.000Z
	const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z'; // 20261122100000Z
	return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

import { validateHeaderValue } from 'node:http';

/** What a CGI script's header block (RFC 3875 §6) asks for. */
export type CgiResponse =
	| { kind: 'document'; status: number; reason: string | undefined; headers: [string, string][] }
	/** `Location: /path` without Status: the server answers as if /path had been requested (§6.2.2). */
	| { kind: 'local-redirect'; location: string }
	/** `Location: http://...` (or a path with an explicit Status): the browser is redirected (§6.2.3, §6.2.4). */
	| { kind: 'client-redirect'; status: number; reason: string | undefined; headers: [string, string][] };

export type CgiParseResult = { ok: true; response: CgiResponse } | { ok: false; reason: string };

/** Longest header block accepted from a script. */
export const MAX_CGI_HEADER_BYTES = 64 * 1024;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by this server (framing) or meaningless from a script: dropped, not relayed. */
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'trailer', 'upgrade', 'te']);

/**
 * Where the header block ends: the first empty line (`\n\n` or `\r\n\r\n`, scripts use either). Returns the offset
 * of the body, or -1 while the block is incomplete.
 */
export function findBodyStart(output: Buffer): number {
	if (output[0] === 10) return 1; // no headers at all (reported as malformed by the parser)
	if (output[0] === 13 && output[1] === 10) return 2;
	for (let index = output.indexOf(10); index !== -1; index = output.indexOf(10, index + 1)) {
		const next = output[index + 1];
		if (next === 10) return index + 2;
		if (next === 13 && output[index + 2] === 10) return index + 3;
		if (next === undefined) return -1;
	}
	return -1;
}

/** Parses the header block (without the empty line) of a script's output. Pure. */
export function parseCgiHeaders(block: string): CgiParseResult {
	const headers: [string, string][] = [];
	let status: number | undefined;
	let reason: string | undefined;
	let location: string | undefined;
	const trimmed = block.replace(/(\r?\n)+$/, '');
	const lines = trimmed === '' ? [] : trimmed.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon <= 0) return { ok: false, reason: `a header line without "name:": ${JSON.stringify(line.slice(0, 80))}` };
		const name = line.slice(0, colon).trim();
		const value = line.slice(colon + 1).trim();
		if (!TOKEN.test(name)) return { ok: false, reason: `an invalid header name: ${JSON.stringify(name.slice(0, 80))}` };
		// Node's writeHead throws on what it refuses (control characters...): refused here, it becomes a 502.
		if (!isValidHeaderValue(name, value)) return { ok: false, reason: `an invalid value for ${name} (control characters): ${JSON.stringify(value.slice(0, 80))}` };
		const lower = name.toLowerCase();
		if (lower === 'status') {
			const match = /^([1-5]\d\d)(?:\s+(.*))?$/.exec(value);
			if (!match || Number(match[1]) < 200) return { ok: false, reason: `an invalid Status: ${JSON.stringify(value.slice(0, 80))}` };
			status = Number(match[1]);
			reason = match[2] || undefined;
		} else if (lower === 'location') {
			if (value === '') return { ok: false, reason: 'an empty Location' };
			location = value;
			headers.push(['Location', value]);
		} else if (!DROPPED.has(lower)) {
			headers.push([name, value]);
		}
	}
	if (location !== undefined && status === undefined) {
		if (location.startsWith('/') && !location.startsWith('//')) return { ok: true, response: { kind: 'local-redirect', location } };
		return { ok: true, response: { kind: 'client-redirect', status: 302, reason: undefined, headers } };
	}
	if (location !== undefined) return { ok: true, response: { kind: 'client-redirect', status: status!, reason, headers } };
	if (headers.length === 0 && status === undefined) return { ok: false, reason: 'no Content-Type, Location or Status header' };
	return { ok: true, response: { kind: 'document', status: status ?? 200, reason, headers } };
}

/** The check Node applies to header values and the reason phrase (HTAB, SP, VCHAR, obs-text). */
function isValidHeaderValue(name: string, value: string): boolean {
	try {
		validateHeaderValue(name, value);
		return true;
	} catch {
		return false;
	}
}

/** Repeated headers (Set-Cookie) become arrays, as writeHead expects. */
export function groupHeaders(headers: readonly [string, string][]): Map<string, string | string[]> {
	const grouped = new Map<string, string | string[]>();
	const names = new Map<string, string>();
	for (const [name, value] of headers) {
		const key = names.get(name.toLowerCase()) ?? name;
		names.set(name.toLowerCase(), key);
		const existing = grouped.get(key);
		grouped.set(key, existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]);
	}
	return grouped;
}

export function findHeader(headers: readonly [string, string][], name: string): string | undefined {
	return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

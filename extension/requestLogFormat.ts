import type { LoggedHeaders, RequestLogEntry } from '../server-core/protocol/index';

export type RequestLogLevel = 'info' | 'warn' | 'error';

/** `200 GET /index.html 1.2 ms`: status first, so errors are easy to scan for. */
export function formatRequestLine(entry: RequestLogEntry, folderName?: string): string {
	let line = `${entry.status} ${entry.method} ${entry.path} ${formatDuration(entry.durationMs)}`;
	if (entry.error !== undefined) line += ` (${entry.error})`;
	if (folderName !== undefined) line += ` [${folderName}]`;
	return line;
}

export function formatDuration(ms: number): string {
	return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** 4xx stand out as warnings and 5xx as errors; a request whose client went away is a warning too. */
export function requestLogLevel(entry: Pick<RequestLogEntry, 'status' | 'error'>): RequestLogLevel {
	if (entry.status >= 500) return 'error';
	if (entry.status >= 400 || entry.error !== undefined) return 'warn';
	return 'info';
}

/** Request headers (`>`) then response headers (`<`), one per line, indented as curl -v shows them. */
export function formatHeaderLines(entry: Pick<RequestLogEntry, 'requestHeaders' | 'responseHeaders'>): string[] {
	return [...headerLines('>', entry.requestHeaders), ...headerLines('<', entry.responseHeaders)];
}

function headerLines(prefix: string, headers: LoggedHeaders): string[] {
	const lines: string[] = [];
	for (const [name, value] of Object.entries(headers)) {
		for (const item of Array.isArray(value) ? value : [value]) lines.push(`    ${prefix} ${name}: ${item}`);
	}
	return lines;
}

import type { LoggedHeaders, RequestLogEntry } from '../protocol/requestLog';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let memoSecond = -1;
let memoText = '';

/** http.server's `log_date_time_string`: `22/Nov/2026 10:00:00`, local time (memoised per second: a hot path). */
export function formatLogTime(ms: number): string {
	const second = Math.floor(ms / 1000);
	if (second === memoSecond) return memoText;
	const date = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	memoSecond = second;
	memoText = `${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	return memoText;
}

export function formatDuration(ms: number): string {
	if (ms >= 100) return `${Math.round(ms)}ms`;
	// One decimal without toFixed, which is slow enough to show on a per-request path.
	const tenths = Math.round(ms * 10);
	return `${Math.floor(tenths / 10)}.${tenths % 10}ms`;
}

export interface AccessLogStyle {
	/** ANSI colours by status class (only on a terminal, and never with NO_COLOR). */
	color: boolean;
}

const STATUS_COLORS: Record<number, string> = { 2: '\x1b[32m', 3: '\x1b[36m', 4: '\x1b[33m', 5: '\x1b[31m' };

/** One line in http.server's familiar form: `127.0.0.1 - - [22/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 1234 0.8ms`. */
export function formatAccessLogLine(entry: RequestLogEntry, style: AccessLogStyle = { color: false }): string {
	const status = String(entry.status);
	const shownStatus = style.color ? `${STATUS_COLORS[Math.floor(entry.status / 100)] ?? ''}${status}\x1b[0m` : status;
	// A request rejected before its request line could be read has none: shown as "-", as http.server does.
	const request = entry.method === '-' && entry.path === '-' && entry.protocol === '-' ? '-' : `${entry.method} ${entry.path} ${entry.protocol}`;
	const bytes = entry.bytes > 0 ? String(entry.bytes) : '-';
	const error = entry.error === undefined ? '' : ` (${entry.error})`;
	return `${entry.clientAddress} - - [${formatLogTime(entry.time)}] "${request}" ${shownStatus} ${bytes} ${formatDuration(entry.durationMs)}${error}`;
}

/** Headers under the request line, indented, request first (`>`), then response (`<`), as curl -v shows them. */
export function formatHeaderBlock(entry: RequestLogEntry): string {
	return [...headerLines('>', entry.requestHeaders), ...headerLines('<', entry.responseHeaders)].join('\n');
}

function headerLines(prefix: string, headers: LoggedHeaders): string[] {
	const lines: string[] = [];
	for (const [name, value] of Object.entries(headers)) {
		for (const item of Array.isArray(value) ? value : [value]) lines.push(`    ${prefix} ${name}: ${item}`);
	}
	return lines;
}

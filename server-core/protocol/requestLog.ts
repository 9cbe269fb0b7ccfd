/** One finished HTTP request, as produced by server-core and shown by the CLI and the extension's output panel. */
export interface RequestLogEntry {
	/** Wall-clock time the request started, in milliseconds since the epoch. */
	time: number;
	clientAddress: string;
	method: string;
	/** The request target as sent (path and query). */
	path: string;
	/** For example `HTTP/1.1`. */
	protocol: string;
	status: number;
	/** Body bytes sent (0 for HEAD and 304). */
	bytes: number;
	durationMs: number;
	/** What answered: static files, a directory listing, the live-reload endpoint, a handler, a proxied backend, a CGI script, an error. */
	source: RequestSource;
	requestHeaders: LoggedHeaders;
	responseHeaders: LoggedHeaders;
	/** Set when the request failed inside the server (the message, never a stack). */
	error?: string;
}

export type RequestSource = 'static' | 'listing' | 'live' | 'handler' | 'proxy' | 'cgi' | 'error';

export type LoggedHeaders = Record<string, string | string[]>;

/** Headers whose values are credentials: logged as `[redacted]` so logs can be shared safely. */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'set-cookie',
]);

export const REDACTED_VALUE = '[redacted]';

/** Copies headers into loggable form, replacing credential values. Header names are lower-cased. */
export function redactHeaders(headers: Readonly<Record<string, string | string[] | number | undefined>>): LoggedHeaders {
	const logged: LoggedHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const key = name.toLowerCase();
		if (REDACTED_HEADERS.has(key)) logged[key] = REDACTED_VALUE;
		else logged[key] = typeof value === 'number' ? String(value) : value;
	}
	return logged;
}

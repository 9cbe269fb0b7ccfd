import type { Exchange, PageKind } from './exchange';

/**
 * The same exchange seen at another path (a mount's own root, the SPA fallback file, a CGI local redirect).
 * `source` and `error` are written through to the original, which is the object the request log follows.
 */
export function viewExchange(exchange: Exchange, pathname: string, search = exchange.search): Exchange {
	return Object.create(exchange, {
		pathname: { value: pathname, enumerable: true },
		search: { value: search, enumerable: true },
		source: { get: () => exchange.source, set: (value: Exchange['source']) => (exchange.source = value), enumerable: true },
		error: { get: () => exchange.error, set: (value: string | undefined) => (exchange.error = value), enumerable: true },
	}) as Exchange;
}

/** HTML served for this exchange is a file page only when no view changed its path (a mount, the SPA fallback...). */
export function pageKindOf(exchange: Exchange): PageKind {
	return exchange.pathname === exchange.urlPath ? 'file' : 'generated';
}

/**
 * The decoded path with empty and `.` segments collapsed, trailing dots and spaces dropped from each segment (as
 * Windows ignores them when opening files), or undefined when malformed. For deciding which feature a path belongs
 * to, so that `/CGI-BIN/x`, `//cgi-bin/x` or `/%63gi-bin/x` cannot slip past a prefix check to the static server.
 */
export function normalizeUrlPath(pathname: string): string | undefined {
	let decoded: string;
	try {
		decoded = pathname.includes('%') ? decodeURIComponent(pathname) : pathname;
	} catch {
		return undefined;
	}
	if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined;
	const segments: string[] = [];
	for (const raw of decoded.split('/')) {
		const segment = raw.replace(/[. ]+$/, (tail) => (raw === tail ? tail : ''));
		if (segment === '' || segment === '.') continue;
		if (segment === '..') segments.pop();
		else segments.push(segment);
	}
	return '/' + segments.join('/') + (decoded.endsWith('/') && segments.length > 0 ? '/' : '');
}

/** True when `path` is `prefix` itself or below it (`/api` matches `/api` and `/api/x`, never `/apix`). */
export function isUnderPrefix(path: string, prefix: string): boolean {
	if (prefix === '/') return true;
	return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* '/' */);
}

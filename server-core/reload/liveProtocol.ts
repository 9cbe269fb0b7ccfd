/**
 * The wire protocol between server-core and the injected browser client (media/client/, bundled into dist/live-reload.js).
 * Everything the browser needs lives under one reserved URL prefix.
 */
export const LIVE_PREFIX = '/__live/';
export const LIVE_CLIENT_PATH = `${LIVE_PREFIX}client.js`;
/** Followed by the per-session token: `/__live/ws/<token>`. */
export const LIVE_SOCKET_PREFIX = `${LIVE_PREFIX}ws/`;
/**
 * Appended to the token written into pages that are not a file at their own URL (listings, error pages, the SPA
 * fallback, handler output: see PageKind). The client copies the token into its socket URL, so the socket says
 * what kind of page it serves (`/__live/ws/<token>.any`) with nothing added to the client; such pages reload on any
 * document change.
 */
export const ANY_DOCUMENT_SUFFIX = '.any';

/**
 * The client's URL as written into a page served at `pathname` (still percent-encoded): relative
 * (`__live/client.js`, `../__live/client.js`...), so that it resolves under whatever path prefix the browser
 * reaches the server through (code-server's and Coder's `/proxy/<port>/`, a reverse proxy). The client finds
 * the server's root from its own URL. Counted on the raw path, the way the browser resolves it.
 */
export function relativeClientPath(pathname: string): string {
	return '../'.repeat(urlDepth(pathname)) + LIVE_CLIENT_PATH.slice(1);
}

/** How many folders deep a URL path is: `/` and `/a.html` are 0, `/a/` and `/a/b.html` are 1. */
export function urlDepth(pathname: string): number {
	let depth = 0;
	for (let index = pathname.indexOf('/', 1); index !== -1; index = pathname.indexOf('/', index + 1)) depth++;
	return depth;
}

/**
 * Server → browser. Paths are decoded URL paths of changed files.
 * - `reload`: reload the page.
 * - `page`: only the HTML document this page shows changed; the client may update it in place (static pages)
 *   or reload.
 * - `css`: swap these stylesheets without reloading.
 */
export type ServerMessage =
	| { type: 'reload' }
	| { type: 'page' }
	| { type: 'css'; paths: string[] };

/** Levels the console relay forwards (uncaught errors and rejections are sent as `error`). */
export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error';

/**
 * Browser → server.
 * - `hello`: which page this client shows (decoded location.pathname).
 * - `console`: a console call or an uncaught error on the page, sent only when the relay is on (the injected script
 *   URL then carries `console=1`). `text` is the arguments serialized by the client (size-capped); `url` is the
 *   page's location.href.
 */
export type ClientMessage =
	| { type: 'hello'; page: string }
	| { type: 'console'; level: ConsoleLevel; text: string; url: string };

/** Query parameter on the injected client URL that turns the console relay on. */
export const CONSOLE_RELAY_PARAM = 'console';

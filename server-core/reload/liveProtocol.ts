/**
 * The wire protocol between server-core and the injected browser client (media/live-reload.js).
 * Everything the browser needs lives under one reserved URL prefix.
 */
export const LIVE_PREFIX = '/__live/';
export const LIVE_CLIENT_PATH = `${LIVE_PREFIX}client.js`;
/** Followed by the per-session token: `/__live/ws/<token>`. */
export const LIVE_SOCKET_PREFIX = `${LIVE_PREFIX}ws/`;

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

/** Browser → server: which page this client shows (decoded location.pathname). */
export type ClientMessage = { type: 'hello'; page: string };

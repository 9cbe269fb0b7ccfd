// @ts-check
// Where this page reaches the server, read from this script's own URL at start-up (main.js calls `locateServer`).
import { NativeURL } from './intrinsics.js';

/** The page's token, from this script's URL (`?t=`): the server knows which page kind it served. */
export let token = '';
/**
 * The served root as this page reaches it: this script is <root>/__live/client.js, and the root may sit under
 * a path prefix (code-server's /proxy/<port>/, a reverse proxy), so nothing here is root-absolute.
 * @type {URL}
 */
let rootUrl;
/** @type {URL} */
export let socketUrl;
/** Answers HEAD while the server is up. */
export let probeUrl = '';
/** The server asked for the console relay (`console=1`). */
export let relayConsole = false;

export function locateServer(/** @type {HTMLScriptElement} */ script) {
	const scriptUrl = new NativeURL(script.getAttribute('src') || '', scriptBase(script));
	token = scriptUrl.searchParams.get('t') || '';
	rootUrl = new NativeURL('../', scriptUrl);
	socketUrl = new NativeURL(`__live/ws/${encodeURIComponent(token)}`, rootUrl);
	socketUrl.protocol = scriptUrl.protocol === 'https:' ? 'wss:' : 'ws:';
	probeUrl = new NativeURL('__live/client.js', rootUrl).href;
	relayConsole = scriptUrl.searchParams.get('console') === '1';
}

/**
 * The base URL the browser fetched this script against. A <base href> that comes later in the page did not
 * exist yet then, but it would be applied by `script.src` now (when the script runs late, async).
 */
function scriptBase(/** @type {HTMLScriptElement} */ element) {
	const base = document.querySelector('base[href]');
	const baseCameFirst = base !== null && (base.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
	return baseCameFirst ? document.baseURI : document.URL;
}

export function currentPage() {
	return serverPath(location.pathname) ?? location.pathname;
}

/** A URL path of this origin as the server sees it (decoded, prefix removed), or undefined when outside the root. */
function serverPath(/** @type {string} */ pathname) {
	if (!pathname.startsWith(rootUrl.pathname)) return undefined;
	const path = `/${pathname.slice(rootUrl.pathname.length)}`;
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/** The server's path for a URL (decoded, without the page's path prefix), or undefined for URLs it does not serve. */
export function localPath(/** @type {string | null | undefined} */ href, /** @type {string} */ base) {
	if (!href) return undefined;
	try {
		const url = new NativeURL(href, base);
		return url.origin === rootUrl.origin ? serverPath(url.pathname) : undefined;
	} catch {
		return undefined;
	}
}

// @ts-check
// Whether the page is on its way out, the reload that sends it there, and a fresh copy of the page from the server.
import { fetchUrl, reloadLocation, then } from './intrinsics.js';
import { guard } from './guard.js';

/** The page is going away (a reload, a navigation, the back/forward cache): sockets closing now are no loss. */
export let leaving = false;

export function setLeaving(/** @type {boolean} */ value) {
	leaving = value;
}

export function reload() {
	leaving = true;
	reloadLocation(location);
}

/** Fetches this page again, bypassing the cache: `onResponse` runs guarded, `onFail` when the request fails. */
export function fetchPage(/** @type {(response: Response) => void} */ onResponse, /** @type {() => void} */ onFail) {
	then(fetchUrl(location.href, { cache: 'no-store', credentials: 'same-origin' }), (/** @type {Response} */ response) => guard(() => onResponse(response)), onFail);
}

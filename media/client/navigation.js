// @ts-check
// Whether the page is on its way out, and the reload that sends it there.
import { reloadLocation } from './intrinsics.js';

/** The page is going away (a reload, a navigation, the back/forward cache): sockets closing now are no loss. */
export let leaving = false;

export function setLeaving(/** @type {boolean} */ value) {
	leaving = value;
}

export function reload() {
	leaving = true;
	reloadLocation(location);
}

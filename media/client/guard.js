// @ts-check
// Nothing the client does may throw into the page: callbacks run guarded.
import { setTimer } from './intrinsics.js';

/** Runs a callback so that nothing it throws reaches the page. */
export function guard(/** @type {() => void} */ callback) {
	try {
		callback();
	} catch {
		// Swallowed on purpose: the page's console belongs to the page.
	}
}

/** Runs a callback later, guarded, with the timer captured at start-up. */
export function later(/** @type {() => void} */ callback, /** @type {number} */ delayMs) {
	return setTimer(() => guard(callback), delayMs);
}

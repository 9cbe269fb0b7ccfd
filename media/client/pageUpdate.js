// @ts-check
// The page's own HTML changed: a static page gets its new <body> in place, anything else is reloaded.
import { bodyOf, NativeDOMParser, queryAll, ScriptElement, then } from './intrinsics.js';
import { guard } from './guard.js';
import { fetchPage, reload } from './navigation.js';

/** @type {'idle' | 'busy' | 'again'} */
let pageUpdate = 'idle';

/**
 * The page's own HTML changed. A page without scripts looks exactly the same after a new <body> as after a
 * reload, so it is updated in place: no navigation, no flash, scroll position kept, several times faster.
 * Anything with scripts, frames or a different <head> is reloaded for real.
 */
export function updatePage() {
	if (pageUpdate !== 'idle') {
		pageUpdate = 'again'; // another edit arrived while fetching: fetch once more afterwards
		return;
	}
	if (!isStatic(document)) return reload();
	pageUpdate = 'busy';
	const fail = () => guard(reload);
	const apply = (/** @type {string} */ html) => guard(() => {
		const next = new NativeDOMParser().parseFromString(html, 'text/html');
		if (!isStatic(next) || headSignature(next) !== headSignature(document) || htmlAttributes(next) !== htmlAttributes(document)) return reload();
		const body = bodyOf(document);
		for (const attribute of Array.from(body.attributes)) body.removeAttribute(attribute.name);
		for (const attribute of Array.from(next.body.attributes)) body.setAttribute(attribute.name, attribute.value);
		// Snapshot first: childNodes is live, and moving a node into this document removes it from there.
		body.replaceChildren(...Array.from(next.body.childNodes));
		const again = /** @type {string} */ (pageUpdate) === 'again';
		pageUpdate = 'idle';
		if (again) updatePage();
	});
	const read = (/** @type {Response} */ response) => {
		const type = response.headers.get('content-type') || '';
		if (response.ok && type.includes('text/html')) then(response.text(), apply, fail);
		else fail();
	};
	fetchPage(read, fail);
}

const ACTIVE_CONTENT = 'script, iframe, frame, object, embed, template[shadowrootmode], meta[http-equiv="refresh" i]';

/** True when nothing but markup and styles is on the page (our own client aside). */
function isStatic(/** @type {Document} */ doc) {
	const active = queryAll(doc, ACTIVE_CONTENT);
	for (let index = 0; index < active.length; index++) {
		const element = active[index];
		if (!(element instanceof ScriptElement && isOwnScript(element))) return false;
	}
	// Inline handlers (onclick, onload...) are scripts too.
	const elements = queryAll(doc, '*');
	for (let index = 0; index < elements.length; index++) {
		const names = elements[index].getAttributeNames();
		for (let at = 0; at < names.length; at++) if (names[at].startsWith('on')) return false;
	}
	return true;
}

function isOwnScript(/** @type {HTMLScriptElement} */ element) {
	return /^(\.\.\/)*__live\/client\.js(\?|$)/.test(element.getAttribute('src') || '');
}

/** The <head> as markup, ignoring our cache-busting parameters on swapped stylesheets. */
function headSignature(/** @type {Document} */ doc) {
	return doc.head.innerHTML.replace(/[?&]_lds=\d+/g, '').replace(/\s+/g, ' ').trim();
}

function htmlAttributes(/** @type {Document} */ doc) {
	return Array.from(doc.documentElement.attributes, (attribute) => `${attribute.name}=${attribute.value}`).join(' ');
}

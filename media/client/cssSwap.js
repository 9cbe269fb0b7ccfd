// @ts-check
// A stylesheet changed: swapped in place (<link>s and CSS import rules), no reload, no flash.
import { ImportRule, LinkElement, listen, now, queryAll, removeNode, styleSheets } from './intrinsics.js';
import { guard, later } from './guard.js';
import { localPath } from './serverUrls.js';

/** Marks a <link> or import rule that a fresh copy is replacing: the copy, still loading. */
const REPLACEMENT = Symbol('liveDevServer.replacement');
const IMPORT_TIMEOUT_MS = 10_000;

/** The same URL as written in the page (relative stays relative), its own query kept, our parameter fresh. */
function withCacheBuster(/** @type {string} */ href) {
	const hashAt = href.indexOf('#');
	const hash = hashAt === -1 ? '' : href.slice(hashAt);
	const base = (hashAt === -1 ? href : href.slice(0, hashAt)).replace(/([?&])_lds=\d+&?/, '$1').replace(/[?&]$/, '');
	return `${base}${base.includes('?') ? '&' : '?'}_lds=${now()}${hash}`;
}

/**
 * Swaps the changed stylesheets without reloading the page: <link>s and CSS import rules get a fresh copy
 * next to them, and the old one goes once the copy has loaded (no flash), or the copy goes if it fails.
 * When no sheet on the page matches, every same-origin stylesheet is refreshed.
 */
export function swapStylesheets(/** @type {string[]} */ paths) {
	let swapped = 0;
	const sheets = styleSheets(document);
	for (let index = 0; index < sheets.length; index++) {
		const sheet = sheets[index];
		guard(() => {
			const owner = sheet.ownerNode;
			if (owner instanceof LinkElement && includes(paths, localPath(sheet.href, document.baseURI))) {
				replaceLink(owner);
				swapped++;
			} else {
				swapped += reimport(sheet, paths);
			}
		});
	}
	if (swapped > 0) return;
	const links = queryAll(document, 'link[rel~="stylesheet" i]');
	for (let index = 0; index < links.length; index++) {
		const link = links[index];
		if (link instanceof LinkElement && localPath(link.href, document.baseURI) !== undefined) guard(() => replaceLink(link));
	}
}

function replaceLink(/** @type {HTMLLinkElement & { [REPLACEMENT]?: HTMLLinkElement }} */ link) {
	// Saved again while the previous copy loads: that copy is outdated already.
	const outdated = link[REPLACEMENT];
	if (outdated) removeNode(outdated);
	const fresh = /** @type {HTMLLinkElement} */ (link.cloneNode(false));
	fresh.setAttribute('href', withCacheBuster(link.getAttribute('href') || link.href));
	link[REPLACEMENT] = fresh;
	const settle = (/** @type {boolean} */ loaded) => guard(() => {
		if (link[REPLACEMENT] !== fresh) return;
		delete link[REPLACEMENT];
		removeNode(loaded ? link : fresh); // a copy that failed to load must not unstyle the page
	});
	listen(fresh, 'load', () => settle(true));
	listen(fresh, 'error', () => settle(false));
	link.after(fresh);
}

/** Re-imports the changed CSS import rules of a sheet (recursively); returns how many were swapped. */
function reimport(/** @type {CSSStyleSheet} */ sheet, /** @type {string[]} */ paths) {
	/** @type {CSSRuleList} */
	let rules;
	try {
		rules = sheet.cssRules; // throws for cross-origin sheets
	} catch {
		return 0;
	}
	let swapped = 0;
	for (let index = 0; index < rules.length; index++) {
		const rule = rules[index];
		if (!(rule instanceof ImportRule) || isBeingReplaced(rule)) continue;
		const importedPath = rule.styleSheet?.href ? localPath(rule.styleSheet.href, document.baseURI) : localPath(rule.href, sheet.href ?? document.baseURI);
		if (importedPath !== undefined && includes(paths, importedPath)) {
			if (replaceImport(sheet, index, rule)) index++;
			swapped++;
		} else if (rule.styleSheet) {
			swapped += reimport(rule.styleSheet, paths);
		}
	}
	return swapped;
}

/**
 * Inserts a fresh copy of an import rule right after it, with the same media, layer() and supports() (only the
 * URL of its text changes); the copy comes later, so it wins once loaded, and the old rule stays until then.
 * Returns whether the copy was inserted.
 */
function replaceImport(/** @type {CSSStyleSheet} */ sheet, /** @type {number} */ index, /** @type {CSSImportRule & { [REPLACEMENT]?: CSSImportRule }} */ rule) {
	const text = rule.cssText.replace(/^@import url\((?:"(?:[^"\\]|\\.)*"|[^)]*)\)/, () => `@import url(${cssString(withCacheBuster(rule.href))})`);
	if (!text.startsWith('@import url(')) return false;
	sheet.insertRule(text, index + 1);
	const fresh = /** @type {CSSImportRule} */ (sheet.cssRules[index + 1]);
	rule[REPLACEMENT] = fresh;
	// Its owner (<style> or <link>) fires 'error' when an import fails; a loaded or failed import has a sheet.
	const owner = topSheet(sheet).ownerNode;
	let failed = false;
	if (owner) listen(owner, 'error', () => (failed = true), { once: true });
	const deadline = now() + IMPORT_TIMEOUT_MS;
	const settle = () => {
		if (!fresh.styleSheet && now() < deadline) return later(settle, 16);
		failed ||= !fresh.styleSheet || !readable(fresh.styleSheet);
		deleteRule(sheet, failed ? fresh : rule);
		delete rule[REPLACEMENT];
	};
	later(settle, 16);
	return true;
}

function isBeingReplaced(/** @type {CSSImportRule & { [REPLACEMENT]?: CSSImportRule }} */ rule) {
	return rule[REPLACEMENT] !== undefined;
}

function topSheet(/** @type {CSSStyleSheet} */ sheet) {
	while (sheet.parentStyleSheet) sheet = sheet.parentStyleSheet;
	return sheet;
}

function readable(/** @type {CSSStyleSheet} */ sheet) {
	try {
		return sheet.cssRules !== null;
	} catch {
		return false;
	}
}

/** Deletes a rule by identity: the indices may have moved since it was inserted. */
function deleteRule(/** @type {CSSStyleSheet} */ sheet, /** @type {CSSRule} */ rule) {
	for (let index = 0; index < sheet.cssRules.length; index++) {
		if (sheet.cssRules[index] === rule) return sheet.deleteRule(index);
	}
}

function cssString(/** @type {string} */ value) {
	return `"${value.replace(/["\\]/g, '\\$&').replace(/\n/g, '')}"`;
}

function includes(/** @type {ArrayLike<unknown>} */ list, /** @type {unknown} */ value) {
	for (let index = 0; index < list.length; index++) if (list[index] === value) return true;
	return false;
}

// @ts-check
// The "connection lost, reconnecting…" notice: shown after a short delay, dismissible, out of the page's reach.
import { appendChild, clearTimer, createElement, documentElement, listen, removeNode } from './intrinsics.js';
import { guard, later } from './guard.js';
import { leaving } from './navigation.js';

/** Connection losses shorter than this (a reload in progress, a blip) show no overlay. */
const OVERLAY_DELAY_MS = 700;
/** Inline and !important on the host: no page stylesheet can hide, move or restyle it. */
const HOST_STYLE = 'all: initial !important; position: fixed !important; right: 16px !important; bottom: 16px !important;'
	+ ' z-index: 2147483647 !important; display: block !important; visibility: visible !important; opacity: 1 !important;'
	+ ' transform: none !important; pointer-events: auto !important;';
const OVERLAY_CSS = `
			div { display: flex; gap: 10px; align-items: center; padding: 8px 10px 8px 14px; border-radius: 8px;
				font: 13px/1.3 system-ui, sans-serif; background: #1f2328; color: #f0f3f6; box-shadow: 0 4px 16px rgba(0, 0, 0, .3); }
			button { all: unset; cursor: pointer; padding: 0 6px; font-size: 16px; opacity: .7; }
			button:hover, button:focus-visible { opacity: 1; }`;

/** @type {ReturnType<typeof setTimeout> | undefined} */
let overlayTimer;
/** @type {HTMLElement | undefined} */
let overlay;
/** Dismissed by the user: hidden until the connection comes back and is lost again. */
let overlayDismissed = false;

export function scheduleOverlay() {
	if (overlayTimer !== undefined || overlayDismissed) return;
	overlayTimer = later(showOverlay, OVERLAY_DELAY_MS);
}

/** Built from DOM nodes (no markup: fine under Trusted Types), in a shadow root that page CSS cannot reach. */
function showOverlay() {
	overlayTimer = undefined;
	if (overlay || overlayDismissed || leaving) return;
	const host = createElement(document, 'live-dev-server-status');
	host.style.cssText = HOST_STYLE;
	const root = host.attachShadow({ mode: 'open' });
	const box = createElement(document, 'div');
	box.setAttribute('role', 'status');
	box.textContent = 'Live Dev Server: connection lost, reconnecting… ';
	const dismiss = createElement(document, 'button');
	dismiss.type = 'button';
	dismiss.setAttribute('aria-label', 'Dismiss');
	dismiss.textContent = '×';
	listen(dismiss, 'click', () => guard(() => {
		overlayDismissed = true;
		hideOverlay();
	}));
	appendChild(box, dismiss);
	appendChild(root, styleFor(root));
	appendChild(root, box);
	// On <html>, not <body>: a transformed body would move a fixed element, and in-place updates replace the body.
	appendChild(documentElement(document), host);
	overlay = host;
}

/** A <style> element: under a CSP without 'unsafe-inline' it is ignored, and the notice is plain but shown. */
function styleFor(/** @type {ShadowRoot} */ root) {
	const style = createElement(document, 'style');
	style.textContent = OVERLAY_CSS;
	guard(() => {
		// A constructed sheet is not subject to style-src, so prefer it where it exists.
		const sheet = new CSSStyleSheet();
		sheet.replaceSync(OVERLAY_CSS);
		root.adoptedStyleSheets = [sheet];
		style.textContent = '';
	});
	return style;
}

export function hideOverlay() {
	clearTimer(overlayTimer);
	overlayTimer = undefined;
	if (overlay) removeNode(overlay);
	overlay = undefined;
}

/** The connection is back: hide the notice, and show it again (even if dismissed) when the connection is lost next. */
export function clearOverlay() {
	overlayDismissed = false;
	hideOverlay();
}

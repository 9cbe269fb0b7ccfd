// @ts-check
// The WebSocket to the server: connects, tells reloads from CSS changes, and recovers by itself when the server
// restarts (a HEAD probe with growing delays while it is gone, a rare retry when it refuses this page's socket).
import { clearTimer, closeSocket, fetchUrl, isArray, listen, NativeWebSocket, parseJson, random, send, then, toJson } from './intrinsics.js';
import { guard, later } from './guard.js';
import { currentPage, probeUrl, socketUrl, token } from './serverUrls.js';
import { fetchPage, leaving, reload, setLeaving } from './navigation.js';
import { clearOverlay, hideOverlay, scheduleOverlay } from './overlay.js';
import { relayThrough, stopRelayingThrough } from './consoleRelay.js';
import { updatePage } from './pageUpdate.js';
import { swapStylesheets } from './cssSwap.js';

/** After a lost connection: the server is usually back within a second (a restart in place). */
const LOST_BACKOFF = { firstMs: 250, maxMs: 5000 };
/** The server is up but refuses this page's socket (stale token, foreign origin): retry rarely. */
const REFUSED_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

/** @type {WebSocket | undefined} */
let socket;
/** The server was seen gone since this page was loaded, so the page may be stale once it is back. */
let serverWasGone = false;
let attempt = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let retryTimer;

/** Exponential, bounded, with jitter (so that many tabs do not retry in step). */
function backoff(/** @type {{ firstMs: number, maxMs: number }} */ policy) {
	const delay = policy.firstMs * 2 ** attempt++;
	return (delay < policy.maxMs ? delay : policy.maxMs) * (0.5 + random() / 2);
}

function retry(/** @type {() => void} */ callback, /** @type {{ firstMs: number, maxMs: number }} */ policy) {
	clearTimer(retryTimer);
	retryTimer = later(callback, backoff(policy));
}

export function connect() {
	const ws = new NativeWebSocket(socketUrl.href);
	socket = ws;
	let opened = false;
	listen(ws, 'open', () => guard(() => {
		opened = true;
		attempt = 0;
		clearOverlay();
		send(ws, toJson({ type: 'hello', page: currentPage() }));
		relayThrough(ws);
	}));
	listen(ws, 'message', (/** @type {MessageEvent} */ event) => guard(() => {
		const message = parseJson(String(event.data));
		if (message.type === 'reload') reload();
		else if (message.type === 'page') updatePage();
		else if (message.type === 'css' && isArray(message.paths)) swapStylesheets(message.paths);
	}));
	listen(ws, 'close', () => guard(() => {
		stopRelayingThrough(ws);
		if (socket !== ws || leaving) return;
		socket = undefined;
		if (!opened) return probe(); // the server is gone, or it refused the socket: the probe tells which
		serverWasGone = true;
		attempt = 0;
		scheduleOverlay();
		retry(probe, LOST_BACKOFF);
	}));
	// An 'error' is always followed by 'close'; listening keeps it from being reported as unhandled.
	listen(ws, 'error', () => {});
}

/**
 * Asks the server whether it is there with a plain HEAD request: while it is gone, this costs one line in the
 * browser's console per attempt instead of a WebSocket error, and the delays grow.
 */
function probe() {
	const answered = (/** @type {Response} */ response) => guard(() => {
		if (!response.ok) return down();
		if (serverWasGone) return reload(); // back: the page may be stale, and its token is
		checkToken(); // up all along, yet the socket closed before it opened: refused
	});
	const down = () => guard(() => {
		serverWasGone = true;
		scheduleOverlay(); // also when the socket never opened (the server went away as the page loaded)
		retry(probe, LOST_BACKOFF);
	});
	then(fetchUrl(probeUrl, { method: 'HEAD', cache: 'no-store' }), answered, down);
}

/**
 * The server refused this page's socket. A reload helps only if the page now carries another token (the server
 * restarted since it was served); otherwise (a foreign origin, say) reloading would loop, so the socket is
 * retried, rarely.
 */
function checkToken() {
	const retrySocket = () => guard(() => retry(connect, REFUSED_BACKOFF));
	const compare = (/** @type {string} */ html) => guard(() => {
		const served = /__live\/client\.js\?t=([^&"'\s]+)/.exec(html); // with its page kind: <token>.any
		if (served?.[1] === token) retrySocket();
		else reload(); // a new token, or no client any more (live reload turned off)
	});
	const read = (/** @type {Response} */ response) => {
		if (response.ok) then(response.text(), compare, retrySocket);
		else retrySocket();
	};
	fetchPage(read, retrySocket);
}

/** Closes the socket when the page is left, so that it can enter the back/forward cache, and reconnects on return. */
export function watchPageLifecycle() {
	listen(window, 'pagehide', () => guard(() => {
		setLeaving(true);
		clearTimer(retryTimer);
		hideOverlay();
		if (socket) closeSocket(socket, 1000);
		socket = undefined;
	}));
	// Restored from the back/forward cache: connect again (a changed token on the way is handled as a refusal).
	listen(window, 'pageshow', (/** @type {PageTransitionEvent} */ event) => guard(() => {
		if (!event.persisted) return;
		setLeaving(false);
		attempt = 0;
		connect();
	}));
}

// @ts-check
// Console relay (opt-in: the server adds console=1 to this script's URL): the page's console calls, uncaught errors
// and unhandled rejections go to the server over the live-reload socket, rate-limited.
import { listen, now, send, toJson } from './intrinsics.js';
import { guard, later } from './guard.js';
import { formatArguments, MAX_TEXT } from './describe.js';

/** The connected socket, while it is open (console messages are queued until then). */
/** @type {WebSocket | undefined} */
let openSocket;
const MAX_QUEUE = 100;
const RATE_WINDOW_MS = 1000;
const RATE_PER_WINDOW = 50;
/** @type {string[]} */
const consoleQueue = [];
let windowStart = 0;
let sentInWindow = 0;
let dropped = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let dropTimer;
let relaying = false;

/** The connection is open: send what was queued, then everything straight away. */
export function relayThrough(/** @type {WebSocket} */ ws) {
	openSocket = ws;
	flushConsoleQueue();
}

export function stopRelayingThrough(/** @type {WebSocket} */ ws) {
	if (openSocket === ws) openSocket = undefined;
}

function flushConsoleQueue() {
	while (openSocket && consoleQueue.length > 0) send(openSocket, /** @type {string} */ (consoleQueue.shift()));
}

function enqueue(/** @type {string} */ level, /** @type {string} */ text) {
	const message = toJson({ type: 'console', level, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text, url: location.href });
	if (openSocket) send(openSocket, message);
	else if (consoleQueue.length < MAX_QUEUE) consoleQueue.push(message);
}

/** At most RATE_PER_WINDOW messages a second; the rest are counted and reported once. */
function relay(/** @type {string} */ level, /** @type {string} */ text) {
	const time = now();
	if (time - windowStart >= RATE_WINDOW_MS) {
		windowStart = time;
		sentInWindow = 0;
	}
	if (sentInWindow >= RATE_PER_WINDOW) {
		dropped++;
		dropTimer ??= later(reportDropped, RATE_WINDOW_MS - (time - windowStart));
		return;
	}
	sentInWindow++;
	enqueue(level, text);
}

function reportDropped() {
	dropTimer = undefined;
	if (dropped === 0) return;
	const count = dropped;
	dropped = 0;
	windowStart = now();
	sentInWindow = 1;
	enqueue('warn', `… ${count} console message(s) were not relayed (more than ${RATE_PER_WINDOW} a second).`);
}

export function installConsoleRelay() {
	const target = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (console));
	for (const level of ['log', 'info', 'warn', 'error']) {
		const original = target[level];
		if (typeof original !== 'function') continue;
		target[level] = function (/** @type {unknown[]} */ ...args) {
			const result = original.apply(this, args);
			if (!relaying) {
				relaying = true; // a getter that logs must not recurse
				guard(() => relay(level, formatArguments(args)));
				relaying = false;
			}
			return result;
		};
	}
	listen(window, 'error', (/** @type {Event} */ event) => guard(() => {
		if (!(event instanceof ErrorEvent)) return; // resource load errors do not reach window; be sure anyway
		const message = String(event.message || 'error').replace(/^Uncaught /, ''); // Chromium already says "Uncaught"
		const where = event.filename ? ` (${event.filename}:${event.lineno}:${event.colno})` : '';
		const stack = event.error instanceof Error && typeof event.error.stack === 'string' ? event.error.stack.split('\n') : [];
		// The stack's first line repeats the message: only its frames are added.
		const frames = stack.length > 1 && message.includes(stack[0] || '\0') ? stack.slice(1) : stack;
		relay('error', `Uncaught ${message}${where}${frames.length ? `\n${frames.join('\n')}` : ''}`);
	}));
	listen(window, 'unhandledrejection', (/** @type {PromiseRejectionEvent} */ event) => guard(() => {
		relay('error', `Uncaught (in promise) ${formatArguments([event.reason instanceof Error || typeof event.reason !== 'string' ? event.reason : toJson(event.reason)])}`);
	}));
}

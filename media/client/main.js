// @ts-check
// Live Dev Server browser client: injected into every HTML page the server sends.
// It connects back over a WebSocket, reloads the page or swaps stylesheets in place when files change,
// and recovers by itself when the server restarts. It must never break the page it lives in: every
// entry point is guarded, and nothing is thrown or logged to the page's console.
//
// esbuild.mjs bundles media/client/ from here into one IIFE script (dist/live-reload.js, served as
// /__live/client.js) and wraps it in try/catch: only the start-up can throw to there (everything later is
// guarded), on a page that broke the globals before this script ran (a script placed before <head>, ahead of
// the injected one); live reload then stays off, silently. The modules' bodies run in import order, intrinsics.js first.
import { currentScript, ScriptElement } from './intrinsics.js';
import { guard } from './guard.js';
import { locateServer, relayConsole } from './serverUrls.js';
import { connect, watchPageLifecycle } from './connection.js';
import { installConsoleRelay } from './consoleRelay.js';

function start() {
	// A symbol, not a window property an element id could clobber: the script may be included twice.
	const INSTALLED = Symbol.for('liveDevServer.client');
	if (Object.prototype.hasOwnProperty.call(window, INSTALLED)) return;
	Object.defineProperty(window, INSTALLED, { value: true });

	const script = currentScript(document);
	if (!(script instanceof ScriptElement)) return;
	locateServer(script);
	watchPageLifecycle();
	if (relayConsole) guard(installConsoleRelay);
	guard(connect);
}

start();

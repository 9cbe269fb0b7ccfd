// @ts-check
// Live Dev Server browser client: injected into every HTML page the server sends.
// It connects back over a WebSocket, reloads the page or swaps stylesheets in place when files change,
// and recovers by itself when the server restarts. It must never break the page it lives in: every
// entry point is guarded, and nothing is thrown or logged to the page's console.
(() => {
	/** @type {Window & { __liveDevServer?: boolean }} */
	const global = window;
	if (global.__liveDevServer) return; // the script was included twice
	global.__liveDevServer = true;

	const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
	if (!script) return;
	const scriptUrl = new URL(script.src);
	const token = scriptUrl.searchParams.get('t') || '';
	// The served root as this page reaches it: this script is <root>/__live/client.js, and the root may sit under
	// a path prefix (code-server's /proxy/<port>/, a reverse proxy), so nothing here is root-absolute.
	const rootUrl = new URL('../', scriptUrl);
	const socketUrl = new URL(`__live/ws/${encodeURIComponent(token)}`, rootUrl);
	socketUrl.protocol = scriptUrl.protocol === 'https:' ? 'wss:' : 'ws:';
	const probeUrl = new URL('__live/client.js', rootUrl).href;
	const relayConsole = scriptUrl.searchParams.get('console') === '1';

	const MAX_BACKOFF_MS = 3000;
	/** Connection losses shorter than this (a reload in progress, a blip) show no overlay. */
	const OVERLAY_DELAY_MS = 700;

	let unloading = false;
	let backoffMs = 100;
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let overlayTimer;
	/** @type {HTMLElement | undefined} */
	let overlay;
	let overlayDismissed = false;
	/** The connected socket, while it is open (the console relay sends through it). */
	/** @type {WebSocket | undefined} */
	let openSocket;

	/** Runs a callback so that nothing it throws reaches the page. */
	function guard(/** @type {() => void} */ callback) {
		try {
			callback();
		} catch {
			// Swallowed on purpose: the page's console belongs to the page.
		}
	}

	function connect() {
		const socket = new WebSocket(socketUrl);
		socket.addEventListener('open', () => guard(() => {
			backoffMs = 100;
			hideOverlay();
			socket.send(JSON.stringify({ type: 'hello', page: currentPage() }));
			openSocket = socket;
			flushConsoleQueue();
		}));
		socket.addEventListener('message', (event) => guard(() => {
			const message = JSON.parse(String(event.data));
			if (message.type === 'reload') reload();
			else if (message.type === 'page') updatePage();
			else if (message.type === 'css' && Array.isArray(message.paths)) swapStylesheets(message.paths);
		}));
		socket.addEventListener('close', () => guard(() => {
			if (openSocket === socket) openSocket = undefined;
			if (unloading) return;
			scheduleOverlay();
			waitForServer();
		}));
		// An 'error' is always followed by 'close'; listening keeps it from being reported as unhandled.
		socket.addEventListener('error', () => {});
	}

	function currentPage() {
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

	function reload() {
		unloading = true;
		location.reload();
	}

	/** Polls until the server answers again (it may have restarted with a new token), then reloads. */
	function waitForServer() {
		setTimeout(() => {
			fetch(probeUrl, { method: 'HEAD', cache: 'no-store' }).then(
				(response) => (response.ok ? reload() : retry()),
				retry,
			);
		}, backoffMs);
	}

	function retry() {
		backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
		waitForServer();
	}

	// ---- In-place page updates ---------------------------------------------------------------------------

	/** @type {'idle' | 'busy' | 'again'} */
	let pageUpdate = 'idle';

	/**
	 * The page's own HTML changed. A page without scripts looks exactly the same after a new <body> as after a
	 * reload, so it is updated in place: no navigation, no flash, scroll position kept, several times faster.
	 * Anything with scripts, frames or a different <head> is reloaded for real.
	 */
	function updatePage() {
		if (pageUpdate !== 'idle') {
			pageUpdate = 'again'; // another edit arrived while fetching: fetch once more afterwards
			return;
		}
		if (!isStatic(document)) return reload();
		pageUpdate = 'busy';
		fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
			.then((response) => {
				const type = response.headers.get('content-type') || '';
				if (!response.ok || !type.includes('text/html')) throw new Error('not a page');
				return response.text();
			})
			.then((html) => {
				const next = new DOMParser().parseFromString(html, 'text/html');
				if (!isStatic(next) || headSignature(next) !== headSignature(document) || htmlAttributes(next) !== htmlAttributes(document)) {
					throw new Error('needs a reload');
				}
				const status = overlay;
				for (const attribute of Array.from(document.body.attributes)) document.body.removeAttribute(attribute.name);
				for (const attribute of Array.from(next.body.attributes)) document.body.setAttribute(attribute.name, attribute.value);
				// Snapshot first: childNodes is live, and moving a node into this document removes it from there.
				document.body.replaceChildren(...Array.from(next.body.childNodes));
				if (status) document.body.append(status);
				const again = /** @type {string} */ (pageUpdate) === 'again';
				pageUpdate = 'idle';
				if (again) updatePage();
			})
			.catch(() => guard(reload));
	}

	const ACTIVE_CONTENT = 'script, iframe, frame, object, embed, template[shadowrootmode], meta[http-equiv="refresh" i]';

	/** True when nothing but markup and styles is on the page (our own client aside). */
	function isStatic(/** @type {Document} */ doc) {
		for (const element of Array.from(doc.querySelectorAll(ACTIVE_CONTENT))) {
			if (!(element instanceof HTMLScriptElement && isOwnScript(element))) return false;
		}
		// Inline handlers (onclick, onload...) are scripts too.
		for (const element of Array.from(doc.querySelectorAll('*'))) {
			for (const name of element.getAttributeNames()) if (name.startsWith('on')) return false;
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

	// ---- Stylesheets ----------------------------------------------------------------------------------

	/** The server's path for a URL (decoded, without the page's path prefix), or undefined for URLs it does not serve. */
	function localPath(/** @type {string | null | undefined} */ href) {
		if (!href) return undefined;
		try {
			const url = new URL(href, location.href);
			return url.origin === rootUrl.origin ? serverPath(url.pathname) : undefined;
		} catch {
			return undefined;
		}
	}

	/** The same URL as written in the page (relative stays relative), with a fresh cache-busting parameter. */
	function withCacheBuster(/** @type {string} */ href) {
		const hashAt = href.indexOf('#');
		const hash = hashAt === -1 ? '' : href.slice(hashAt);
		const base = (hashAt === -1 ? href : href.slice(0, hashAt)).replace(/([?&])_lds=\d+&?/, '$1').replace(/[?&]$/, '');
		return `${base}${base.includes('?') ? '&' : '?'}_lds=${Date.now()}${hash}`;
	}

	/**
	 * Swaps the changed stylesheets without reloading the page: <link>s are replaced by a fresh copy that is
	 * inserted before the old one is removed (no flash), and CSS import rules are re-imported in place.
	 * When no sheet on the page matches, every same-origin stylesheet is refreshed.
	 */
	function swapStylesheets(/** @type {string[]} */ paths) {
		const changed = new Set(paths);
		let swapped = 0;
		for (const sheet of Array.from(document.styleSheets)) {
			guard(() => {
				const owner = sheet.ownerNode;
				const ownPath = localPath(sheet.href);
				if (owner instanceof HTMLLinkElement && ownPath !== undefined && changed.has(ownPath)) {
					replaceLink(owner);
					swapped++;
				} else {
					swapped += reimport(sheet, changed);
				}
			});
		}
		if (swapped > 0) return;
		for (const link of Array.from(document.querySelectorAll('link[rel~="stylesheet" i]'))) {
			if (link instanceof HTMLLinkElement && localPath(link.href) !== undefined) guard(() => replaceLink(link));
		}
	}

	function replaceLink(/** @type {HTMLLinkElement} */ link) {
		const fresh = /** @type {HTMLLinkElement} */ (link.cloneNode(false));
		fresh.setAttribute('href', withCacheBuster(link.getAttribute('href') || link.href));
		let removed = false;
		const removeOld = () => {
			if (removed) return;
			removed = true;
			link.remove();
		};
		fresh.addEventListener('load', removeOld);
		fresh.addEventListener('error', removeOld);
		setTimeout(removeOld, 5000);
		link.after(fresh);
	}

	/** Re-imports changed CSS import rules inside a sheet (recursively); returns how many were swapped. */
	function reimport(/** @type {CSSStyleSheet} */ sheet, /** @type {Set<string>} */ changed) {
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
			if (!(rule instanceof CSSImportRule)) continue;
			const importedPath = localPath(rule.styleSheet?.href ?? rule.href);
			if (importedPath !== undefined && changed.has(importedPath)) {
				const media = rule.media.mediaText;
				const href = withCacheBuster(rule.href);
				sheet.insertRule(`@import url("${href.replace(/"/g, '%22')}")${media ? ` ${media}` : ''};`, index);
				const old = index + 1;
				// Keep the old rule until the new one has loaded, so nothing flashes unstyled.
				setTimeout(() => guard(() => sheet.deleteRule(old)), 200);
				swapped++;
				index++;
			} else if (rule.styleSheet) {
				swapped += reimport(rule.styleSheet, changed);
			}
		}
		return swapped;
	}

	// ---- Overlay --------------------------------------------------------------------------------------

	function scheduleOverlay() {
		if (overlayTimer !== undefined || overlayDismissed) return;
		overlayTimer = setTimeout(() => guard(showOverlay), OVERLAY_DELAY_MS);
	}

	function showOverlay() {
		if (overlay || overlayDismissed || !document.body) return;
		overlay = document.createElement('live-dev-server-status');
		const root = overlay.attachShadow({ mode: 'open' });
		root.innerHTML = `<style>
			div { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; display: flex; gap: 10px; align-items: center;
				padding: 8px 10px 8px 14px; border-radius: 8px; font: 13px/1.3 system-ui, sans-serif;
				background: #1f2328; color: #f0f3f6; box-shadow: 0 4px 16px rgba(0, 0, 0, .3); }
			button { all: unset; cursor: pointer; padding: 0 6px; font-size: 16px; opacity: .7; }
			button:hover { opacity: 1; }
		</style><div role="status">Live Dev Server: connection lost, reconnecting… <button type="button" aria-label="Dismiss">×</button></div>`;
		root.querySelector('button')?.addEventListener('click', () => {
			overlayDismissed = true;
			hideOverlay();
		});
		document.body.append(overlay);
	}

	function hideOverlay() {
		clearTimeout(overlayTimer);
		overlayTimer = undefined;
		overlay?.remove();
		overlay = undefined;
	}

	// Leaving the page closes the socket on purpose: that is not a lost connection.
	addEventListener('pagehide', () => {
		unloading = true;
	});
	// Restored from the back/forward cache: the page may be stale and its socket is gone.
	addEventListener('pageshow', (event) => {
		if (event.persisted) guard(reload);
	});

	// ---- Console relay (opt-in: the server adds console=1 to this script's URL) --------------------------

	const MAX_TEXT = 4000;
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

	function flushConsoleQueue() {
		while (openSocket && consoleQueue.length > 0) openSocket.send(/** @type {string} */ (consoleQueue.shift()));
	}

	function enqueue(/** @type {string} */ level, /** @type {string} */ text) {
		const message = JSON.stringify({ type: 'console', level, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text, url: location.href });
		if (openSocket) openSocket.send(message);
		else if (consoleQueue.length < MAX_QUEUE) consoleQueue.push(message);
	}

	/** At most RATE_PER_WINDOW messages a second; the rest are counted and reported once. */
	function relay(/** @type {string} */ level, /** @type {string} */ text) {
		const now = Date.now();
		if (now - windowStart >= RATE_WINDOW_MS) {
			windowStart = now;
			sentInWindow = 0;
		}
		if (sentInWindow >= RATE_PER_WINDOW) {
			dropped++;
			dropTimer ??= setTimeout(() => guard(reportDropped), RATE_WINDOW_MS - (now - windowStart));
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
		windowStart = Date.now();
		sentInWindow = 1;
		enqueue('warn', `… ${count} console message(s) were not relayed (more than ${RATE_PER_WINDOW} a second).`);
	}

	/**
	 * Describes any value without throwing: circular references, DOM nodes, errors with stacks, getters that throw.
	 * @returns {string}
	 */
	function describe(/** @type {unknown} */ value, /** @type {number} */ depth, /** @type {Set<object>} */ seen, /** @type {{ left: number }} */ budget) {
		if (budget.left <= 0) return '…';
		const text = describeValue(value, depth, seen, budget);
		budget.left -= text.length;
		return text;
	}

	/** @returns {string} */
	function describeValue(/** @type {unknown} */ value, /** @type {number} */ depth, /** @type {Set<object>} */ seen, /** @type {{ left: number }} */ budget) {
		if (value === null) return 'null';
		switch (typeof value) {
			case 'undefined': return 'undefined';
			case 'string': return depth === 0 ? value : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
			case 'bigint': return `${value}n`;
			case 'symbol': return value.toString();
			case 'function': return `[Function ${value.name || '(anonymous)'}]`;
			case 'object': break;
			default: return String(value);
		}
		const object = /** @type {object} */ (value);
		if (object instanceof Error) {
			const head = `${object.name}: ${object.message}`;
			const stack = typeof object.stack === 'string' ? object.stack : '';
			return stack.includes(object.message) ? stack : stack ? `${head}\n${stack}` : head;
		}
		if (typeof Node !== 'undefined' && object instanceof Node) return describeNode(object);
		if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
		if (object instanceof RegExp) return String(object);
		if (seen.has(object)) return '[Circular]';
		if (depth >= 3) return Array.isArray(object) ? `[Array(${object.length})]` : '[Object]';
		seen.add(object);
		try {
			if (Array.isArray(object)) {
				const items = object.slice(0, 100).map((item) => describe(item, depth + 1, seen, budget));
				if (object.length > 100) items.push(`… ${object.length - 100} more`);
				return `[${items.join(', ')}]`;
			}
			if (object instanceof Map || object instanceof Set) {
				const items = Array.from(object, (entry) => (object instanceof Map ? `${describe(entry[0], depth + 1, seen, budget)} => ${describe(entry[1], depth + 1, seen, budget)}` : describe(entry, depth + 1, seen, budget)));
				return `${object instanceof Map ? 'Map' : 'Set'}(${object.size}) {${items.join(', ')}}`;
			}
			const keys = Object.keys(object);
			const parts = keys.slice(0, 50).map((key) => {
				let item;
				try {
					item = describe(/** @type {Record<string, unknown>} */ (object)[key], depth + 1, seen, budget);
				} catch {
					item = '[Thrown]';
				}
				return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${item}`;
			});
			if (keys.length > 50) parts.push(`… ${keys.length - 50} more`);
			const name = object.constructor && object.constructor !== Object && typeof object.constructor.name === 'string' ? `${object.constructor.name} ` : '';
			return `${name}{${parts.length ? ` ${parts.join(', ')} ` : ''}}`;
		} finally {
			seen.delete(object);
		}
	}

	function describeNode(/** @type {Node} */ node) {
		if (node instanceof Element) {
			const id = node.id ? `#${node.id}` : '';
			const classes = typeof node.className === 'string' && node.className.trim() ? `.${node.className.trim().split(/\s+/).join('.')}` : '';
			return `<${node.tagName.toLowerCase()}${id}${classes}>`;
		}
		if (node.nodeType === Node.TEXT_NODE) return `#text ${JSON.stringify((node.textContent || '').slice(0, 100))}`;
		return node.nodeName;
	}

	function formatArguments(/** @type {unknown[]} */ args) {
		const budget = { left: MAX_TEXT };
		return args.map((arg) => describe(arg, 0, new Set(), budget)).join(' ');
	}

	function installConsoleRelay() {
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
		addEventListener('error', (event) => guard(() => {
			if (!(event instanceof ErrorEvent)) return; // resource load errors do not reach window; be sure anyway
			const message = String(event.message || 'error').replace(/^Uncaught /, ''); // Chromium already says "Uncaught"
			const where = event.filename ? ` (${event.filename}:${event.lineno}:${event.colno})` : '';
			const stack = event.error instanceof Error && typeof event.error.stack === 'string' ? event.error.stack.split('\n') : [];
			// The stack's first line repeats the message: only its frames are added.
			const frames = stack.length > 1 && message.includes(stack[0] || '\0') ? stack.slice(1) : stack;
			relay('error', `Uncaught ${message}${where}${frames.length ? `\n${frames.join('\n')}` : ''}`);
		}));
		addEventListener('unhandledrejection', (event) => guard(() => {
			relay('error', `Uncaught (in promise) ${formatArguments([event.reason instanceof Error || typeof event.reason !== 'string' ? event.reason : JSON.stringify(event.reason)])}`);
		}));
	}

	if (relayConsole) guard(installConsoleRelay);
	guard(connect);
})();

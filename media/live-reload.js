// @ts-check
// Live Dev Server browser client: injected into every HTML page the server sends.
// It connects back over a WebSocket, reloads the page or swaps stylesheets in place when files change,
// and recovers by itself when the server restarts. It must never break the page it lives in: every
// entry point is guarded, and nothing is thrown or logged to the page's console.
try {
	(() => {
		// ---- Intrinsics -------------------------------------------------------------------------------------
		// Captured now, while they are pristine when this script runs first in <head>, before the page's own scripts
		// (synchronous injection), which may later replace or break any global (window.WebSocket = null, a throwing
		// setTimeout, patched prototypes) or clobber document properties with named elements (<form name="body">).

		/** Turns a method into a function taking `this` first, immune to later changes of Function.prototype.call. */
		const uncurry = /** @type {(method: Function) => (self: any, ...args: any[]) => any} */ (Function.prototype.bind.bind(Function.prototype.call));
		const getter = (/** @type {object} */ prototype, /** @type {string} */ name) => uncurry(/** @type {Function} */ (Object.getOwnPropertyDescriptor(prototype, name)?.get));

		const NativeWebSocket = WebSocket;
		const NativeURL = URL;
		const NativeDOMParser = DOMParser;
		const ScriptElement = HTMLScriptElement;
		const LinkElement = HTMLLinkElement;
		const ImportRule = CSSImportRule;
		const setTimer = setTimeout;
		const clearTimer = clearTimeout;
		const fetchUrl = fetch;
		const parseJson = JSON.parse;
		const toJson = JSON.stringify;
		const isArray = Array.isArray;
		const random = Math.random;
		const now = Date.now;
		const then = uncurry(Promise.prototype.then);
		const listen = uncurry(EventTarget.prototype.addEventListener);
		const send = uncurry(WebSocket.prototype.send);
		const closeSocket = uncurry(WebSocket.prototype.close);
		const reloadLocation = uncurry(location.reload);
		const createElement = uncurry(Document.prototype.createElement);
		const queryAll = uncurry(Document.prototype.querySelectorAll);
		const currentScript = getter(Document.prototype, 'currentScript');
		const documentElement = getter(Document.prototype, 'documentElement');
		const styleSheets = getter(Document.prototype, 'styleSheets');
		const bodyOf = getter(Document.prototype, 'body');
		const appendChild = uncurry(Node.prototype.appendChild);
		const removeNode = uncurry(Element.prototype.remove);

		// ---- Start-up ---------------------------------------------------------------------------------------

		// A symbol, not a window property an element id could clobber: the script may be included twice.
		const INSTALLED = Symbol.for('liveDevServer.client');
		if (Object.prototype.hasOwnProperty.call(window, INSTALLED)) return;
		Object.defineProperty(window, INSTALLED, { value: true });

		const script = currentScript(document);
		if (!(script instanceof ScriptElement)) return;
		const scriptUrl = new NativeURL(script.getAttribute('src') || '', scriptBase(script));
		const token = scriptUrl.searchParams.get('t') || '';
		// The served root as this page reaches it: this script is <root>/__live/client.js, and the root may sit under
		// a path prefix (code-server's /proxy/<port>/, a reverse proxy), so nothing here is root-absolute.
		const rootUrl = new NativeURL('../', scriptUrl);
		const socketUrl = new NativeURL(`__live/ws/${encodeURIComponent(token)}`, rootUrl);
		socketUrl.protocol = scriptUrl.protocol === 'https:' ? 'wss:' : 'ws:';
		const probeUrl = new NativeURL('__live/client.js', rootUrl).href;
		const relayConsole = scriptUrl.searchParams.get('console') === '1';

		/**
		 * The base URL the browser fetched this script against. A <base href> that comes later in the page did not
		 * exist yet then, but it would be applied by `script.src` now (when the script runs late, async).
		 */
		function scriptBase(/** @type {HTMLScriptElement} */ element) {
			const base = document.querySelector('base[href]');
			const baseCameFirst = base !== null && (base.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
			return baseCameFirst ? document.baseURI : document.URL;
		}

		/** Runs a callback so that nothing it throws reaches the page. */
		function guard(/** @type {() => void} */ callback) {
			try {
				callback();
			} catch {
				// Swallowed on purpose: the page's console belongs to the page.
			}
		}

		/** Runs a callback later, guarded, with the timer captured at start-up. */
		function later(/** @type {() => void} */ callback, /** @type {number} */ delayMs) {
			return setTimer(() => guard(callback), delayMs);
		}

		function includes(/** @type {ArrayLike<unknown>} */ list, /** @type {unknown} */ value) {
			for (let index = 0; index < list.length; index++) if (list[index] === value) return true;
			return false;
		}

		// ---- Connection -------------------------------------------------------------------------------------

		/** After a lost connection: the server is usually back within a second (a restart in place). */
		const LOST_BACKOFF = { firstMs: 250, maxMs: 5000 };
		/** The server is up but refuses this page's socket (stale token, foreign origin): retry rarely. */
		const REFUSED_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

		/** @type {WebSocket | undefined} */
		let socket;
		/** The connected socket, while it is open (the console relay sends through it). */
		/** @type {WebSocket | undefined} */
		let openSocket;
		/** The page is going away (a reload, a navigation, the back/forward cache): sockets closing now are no loss. */
		let leaving = false;
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

		function connect() {
			const ws = new NativeWebSocket(socketUrl.href);
			socket = ws;
			let opened = false;
			listen(ws, 'open', () => guard(() => {
				opened = true;
				attempt = 0;
				overlayDismissed = false;
				hideOverlay();
				send(ws, toJson({ type: 'hello', page: currentPage() }));
				openSocket = ws;
				flushConsoleQueue();
			}));
			listen(ws, 'message', (/** @type {MessageEvent} */ event) => guard(() => {
				const message = parseJson(String(event.data));
				if (message.type === 'reload') reload();
				else if (message.type === 'page') updatePage();
				else if (message.type === 'css' && isArray(message.paths)) swapStylesheets(message.paths);
			}));
			listen(ws, 'close', () => guard(() => {
				if (openSocket === ws) openSocket = undefined;
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
			then(fetchUrl(location.href, { cache: 'no-store', credentials: 'same-origin' }), (/** @type {Response} */ response) => guard(() => read(response)), retrySocket);
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
			leaving = true;
			reloadLocation(location);
		}

		// Leaving the page: close the socket, so that the page can enter the back/forward cache.
		listen(window, 'pagehide', () => guard(() => {
			leaving = true;
			clearTimer(retryTimer);
			hideOverlay();
			if (socket) closeSocket(socket, 1000);
			socket = undefined;
		}));
		// Restored from the back/forward cache: connect again (a changed token on the way is handled as a refusal).
		listen(window, 'pageshow', (/** @type {PageTransitionEvent} */ event) => guard(() => {
			if (!event.persisted) return;
			leaving = false;
			attempt = 0;
			connect();
		}));

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
			then(fetchUrl(location.href, { cache: 'no-store', credentials: 'same-origin' }), (/** @type {Response} */ response) => guard(() => read(response)), fail);
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

		// ---- Stylesheets ----------------------------------------------------------------------------------

		/** Marks a <link> or import rule that a fresh copy is replacing: the copy, still loading. */
		const REPLACEMENT = Symbol('liveDevServer.replacement');
		const IMPORT_TIMEOUT_MS = 10_000;

		/** The server's path for a URL (decoded, without the page's path prefix), or undefined for URLs it does not serve. */
		function localPath(/** @type {string | null | undefined} */ href, /** @type {string} */ base) {
			if (!href) return undefined;
			try {
				const url = new NativeURL(href, base);
				return url.origin === rootUrl.origin ? serverPath(url.pathname) : undefined;
			} catch {
				return undefined;
			}
		}

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
		function swapStylesheets(/** @type {string[]} */ paths) {
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

		// ---- Overlay --------------------------------------------------------------------------------------

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

		function scheduleOverlay() {
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

		function hideOverlay() {
			clearTimer(overlayTimer);
			overlayTimer = undefined;
			if (overlay) removeNode(overlay);
			overlay = undefined;
		}

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
				case 'string': return depth === 0 ? value : toJson(value.length > 200 ? `${value.slice(0, 200)}…` : value);
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
					return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : toJson(key)}: ${item}`;
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
			if (node.nodeType === Node.TEXT_NODE) return `#text ${toJson((node.textContent || '').slice(0, 100))}`;
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

		if (relayConsole) guard(installConsoleRelay);
		guard(connect);
	})();
} catch {
	// Only the start-up can throw to here (everything later is guarded): on a page that broke the globals before
	// this script ran (loaded async, after the page's own scripts), live reload stays off, silently.
}

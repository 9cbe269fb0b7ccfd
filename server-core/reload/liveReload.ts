import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Emitter, type Disposable } from '../disposable';
import { formatEtag } from '../http/conditional';
import type { Exchange, HtmlTransform, PageKind } from '../http/exchange';
import type { HostPolicy } from '../http/hostCheck';
import { injectIntoHtml } from '../http/injectScript';
import type { RequestStage } from '../http/pipeline';
import { Representation } from '../http/representation';
import { sendErrorPage, sendRepresentation } from '../http/sendBody';
import { ChangeBatcher, DEFAULT_BATCH_TIMING, type BatchTiming } from './changeBatcher';
import { classifyChanges, type ReloadPlan } from './changeClassifier';
import type { FileChange } from './changeSource';
import type { BrowserConsoleMessage } from '../protocol/browserConsole';
import { ANY_DOCUMENT_SUFFIX, CONSOLE_RELAY_PARAM, LIVE_CLIENT_PATH, LIVE_PREFIX, LIVE_SOCKET_PREFIX, relativeClientPath, urlDepth } from './liveProtocol';
import { ReloadHub } from './reloadHub';

export interface LiveReloadOptions {
	root: string;
	hostPolicy: HostPolicy;
	/** The browser client (dist/live-reload.js, bundled from media/client/). */
	clientScript: Buffer;
	isIgnored: (relativePath: string) => boolean;
	dotfilesAllow: readonly string[];
	/** Quiet time that ends a batch of changes, in ms. */
	debounceMs?: number;
	timing?: Partial<BatchTiming>;
	/** Browser console relay: the client forwards console calls and uncaught errors here. Absent: off. */
	onConsoleMessage?: (message: BrowserConsoleMessage) => void;
}

/** Marker without the leading slash: a page that already has the client, at any depth, gets no second one. */
const MARKER = LIVE_CLIENT_PATH.slice(1);

/** A batch of changes and what was done about it (for the request log, tests and the latency benchmark). */
export interface ReloadEvent {
	plan: ReloadPlan;
	clients: number;
}

/**
 * Live reload for one served root: injects the client into HTML, serves it under /__live/, accepts its
 * WebSocket, and turns file changes into reload or stylesheet-swap messages.
 */
export class LiveReload implements Disposable {
	readonly token = randomBytes(16).toString('hex');
	readonly hub: ReloadHub;
	readonly htmlTransform: HtmlTransform;
	readonly stage: RequestStage = (exchange) => this._serve(exchange);
	private readonly _batcher: ChangeBatcher;
	private readonly _client: Representation;
	private readonly _onDidReload = new Emitter<ReloadEvent>();
	readonly onDidReload = this._onDidReload.on.bind(this._onDidReload);

	constructor(private readonly _options: LiveReloadOptions) {
		this.hub = new ReloadHub(this.token, _options.hostPolicy, _options.onConsoleMessage);
		const relay = _options.onConsoleMessage !== undefined;
		// Pages that are not a file at their own URL (no kind given: generated) reload on any document change.
		const kindSuffix = (kind?: PageKind) => (kind === 'file' ? '' : ANY_DOCUMENT_SUFFIX);
		const query = (kind?: PageKind) => `?t=${this.token}${kindSuffix(kind)}${relay ? `&amp;${CONSOLE_RELAY_PARAM}=1` : ''}`;
		// The client runs synchronously, first in <head>, before the page's own scripts: it keeps the browser functions
		// it needs before a page can replace them, and the console relay wraps the console before the page logs or
		// throws. A local same-origin file costs the parser about a millisecond; an external script, not an inline
		// one, so a CSP of 'self' allows it.
		const scriptTag = (pathname: string, kind?: PageKind) => `<script src="${relativeClientPath(pathname)}${query(kind)}"></script>`;
		this.htmlTransform = {
			id: `lr${this.token.slice(0, 8)}`,
			variant: (pathname, kind) => `${urlDepth(pathname)}${kindSuffix(kind)}`,
			apply: (html, pathname, kind) => injectIntoHtml(html, scriptTag(pathname, kind), MARKER),
			insertion: (pathname, kind) => ({ tag: Buffer.from(scriptTag(pathname, kind), 'latin1'), marker: MARKER }),
		};
		const timing = { ...DEFAULT_BATCH_TIMING, ..._options.timing };
		if (_options.debounceMs !== undefined) timing.quietMs = _options.debounceMs;
		this._batcher = new ChangeBatcher((changes) => this._reload(changes), timing);
		const script = _options.clientScript;
		this._client = new Representation({
			body: script,
			contentType: 'text/javascript; charset=utf-8',
			versionTag: 'client',
			etag: formatEtag(createHash('sha1').update(script).digest('base64url').slice(0, 16)),
			lastModifiedMs: Date.now(),
			rangeable: false,
		});
	}

	get clientCount(): number {
		return this.hub.clientCount;
	}

	/** Reports changed files; bursts are coalesced before anything is sent. */
	notifyChanges(changes: readonly FileChange[]): void {
		this._batcher.add(changes);
	}

	/** Reloads every page now (the "Reload Browsers" command). */
	reloadAll(): void {
		this._batcher.flush();
		this.hub.broadcast({ type: 'reload' });
	}

	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		return this.hub.handleUpgrade(req, socket, head);
	}

	dispose(): void {
		this._batcher.dispose();
		this.hub.dispose();
		this._onDidReload.dispose();
	}

	private _reload(changes: FileChange[]): void {
		const plan = classifyChanges(changes, { root: this._options.root, isIgnored: this._options.isIgnored, dotfilesAllow: this._options.dotfilesAllow });
		if (plan === undefined) return;
		this.hub.apply(plan);
		this._onDidReload.fire({ plan, clients: this.hub.clientCount });
	}

	private _serve(exchange: Exchange): boolean {
		if (!exchange.pathname.startsWith(LIVE_PREFIX)) return false;
		exchange.source = 'live';
		const method = exchange.req.method;
		if (method !== 'GET' && method !== 'HEAD') {
			sendErrorPage(exchange, { code: 405, message: 'The live-reload endpoint only answers GET and HEAD.' }, { Allow: 'GET, HEAD' });
		} else if (exchange.pathname === LIVE_CLIENT_PATH) {
			sendRepresentation(exchange, this._client);
		} else if (exchange.pathname.startsWith(LIVE_SOCKET_PREFIX)) {
			sendErrorPage(exchange, { code: 426, message: 'This is the live-reload WebSocket; connect with a WebSocket client.' }, { Upgrade: 'websocket' });
		} else {
			sendErrorPage(exchange, { code: 404, message: `${LIVE_PREFIX} is reserved for live reload.` });
		}
		return true;
	}
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Disposable } from './disposable';
import { DiskFileSource, type FileSource } from './documents/fileSource';
import { createHandlerHost, type HandlerSessionOptions } from './handlers/handlerSession';
import type { HandlerHost } from './handlers/handlerHost';
import { SOURCE_EXTENSIONS } from './handlers/discovery';
import { createHandlerSourceCheck } from './http/handlerSources';
import { createHostPolicy } from './http/hostCheck';
import { HttpServer, type ListeningAddress } from './http/httpServer';
import { createPipeline, type RequestStage } from './http/pipeline';
import type { RequestLogSink } from './http/requestLogger';
import { StaticFiles } from './http/staticFiles';
import type { ServerSettings } from './protocol/settings';
import type { ChangeSource, FileChange } from './reload/changeSource';
import { FsChangeSource } from './reload/fsChangeSource';
import { createIgnoreMatcher, ignoredUnder } from './reload/ignoreMatcher';
import { LiveReload } from './reload/liveReload';
import { Extras } from './features/extras';
import type { BrowserConsoleMessage } from './protocol/browserConsole';

export interface SessionOptions extends ServerSettings, HandlerSessionOptions {
	/** Folder to serve (absolute or relative to the working directory). */
	root: string;
	/** Folder holding live-reload.js, the bundled browser client: dist/ (the extension passes its own; the CLI uses its own folder). */
	clientDir: string;
	source?: FileSource;
	/**
	 * Where file changes come from. Omitted: server-core watches the root itself (CLI mode).
	 * The extension passes VS Code's watcher and editor events instead.
	 */
	changeSource?: ChangeSource;
	onRequestLogged?: RequestLogSink;
	/** Whether log entries carry headers (default true; the CLI turns them off unless --log-headers). */
	logHeaders?: boolean;
	/** Reported, never thrown: a broken watcher must not stop the server. */
	onWatcherError?: (error: Error) => void;
	headersTimeoutMs?: number;
	/** Console messages and uncaught errors from served pages; used when the `console` setting is on. */
	onConsoleMessage?: (message: BrowserConsoleMessage) => void;
}

/** One served folder: its HTTP server and everything that answers requests for it. */
export class Session {
	private constructor(
		readonly root: string,
		readonly address: ListeningAddress,
		private readonly _httpServer: HttpServer,
		readonly staticFiles: StaticFiles,
		readonly liveReload: LiveReload | undefined,
		/** Resolves when file changes are being watched (immediately when VS Code supplies them). */
		readonly watching: Promise<void>,
		private readonly _disposables: Disposable[],
		/** Present when handlers are enabled; `handlers.invalidate(changes)` takes file changes. */
		readonly handlers: HandlerHost | undefined,
		/** HTTPS, proxy, mounts, CGI...: what is configured (for start-up messages). */
		readonly extras: Extras,
	) {}

	static async start(options: SessionOptions): Promise<Session> {
		const root = path.resolve(options.root);
		const hostPolicy = createHostPolicy(options.host, options.allowedHosts);
		const isIgnored = createIgnoreMatcher(options.ignore);
		const source = options.source ?? new DiskFileSource();
		// Settings problems (a missing certificate or mount folder...) are thrown here, before anything starts.
		const extras = await Extras.create({ root, settings: options, source });
		const disposables: Disposable[] = [extras];

		// Changes are watched when something needs them: live reload, and listings (cached only while watched).
		let changeSource = options.changeSource;
		let watching = Promise.resolve();
		if (changeSource === undefined && options.reload) {
			const watcher = new FsChangeSource(root, isIgnored, options.onWatcherError);
			disposables.push(watcher);
			watching = watcher.ready;
			changeSource = watcher;
		}

		const liveReload = options.reload
			? new LiveReload({
				root,
				hostPolicy,
				clientScript: fs.readFileSync(path.join(options.clientDir, 'live-reload.js')),
				isIgnored,
				dotfilesAllow: options.dotfilesAllow,
				debounceMs: options.debounceMs,
				onConsoleMessage: options.console ? options.onConsoleMessage : undefined,
			})
			: undefined;
		if (liveReload) disposables.push(liveReload);

		const staticFiles = await StaticFiles.create({
			root,
			source,
			dotfilesAllow: options.dotfilesAllow,
			listingsCacheable: changeSource !== undefined,
			// The watcher skips ignored paths (node_modules...): listings that show them are re-read each time.
			isUnreported: ignoredUnder(root, isIgnored),
		});
		// Handlers need no watcher (each request checks its build), but rebuild early and report diagnostics with one.
		const handlers = createHandlerHost(root, options);
		if (handlers) {
			// Handler sources stay private however they are reached: through a symlink, or a mount of their folder.
			const isHandlerSource = createHandlerSourceCheck(handlers.host.options.dir, SOURCE_EXTENSIONS);
			for (const files of [staticFiles, ...extras.mounts.map((mount) => mount.files)]) files.hideRealPaths(isHandlerSource);
		}
		if (changeSource) {
			disposables.push(changeSource.onChanges((changes: readonly FileChange[]) => {
				// Listings first, synchronously: a page reloaded by this very change must see the new listing.
				staticFiles.invalidateListings();
				handlers?.host.invalidate(changes);
				// A handler change is a non-CSS, non-HTML change: it reloads every open page (handler pages included).
				liveReload?.notifyChanges(changes);
			}));
		}

		const stages: RequestStage[] = liveReload ? [liveReload.stage] : [];
		const extraStages = extras.stages(staticFiles, () => stages);
		stages.push(...extraStages.leading);
		if (handlers) stages.push(handlers.stage);
		stages.push(...extraStages.trailing);
		const pipeline = createPipeline({
			hostPolicy,
			staticFiles,
			stages,
			htmlTransform: liveReload?.htmlTransform,
			onRequestLogged: options.onRequestLogged,
			logHeaders: options.logHeaders,
		});
		const httpServer = new HttpServer(pipeline, {
			host: options.host,
			port: options.port,
			portExplicit: options.portExplicit,
			headersTimeoutMs: options.headersTimeoutMs,
			// Requests Node rejects before the pipeline (malformed, oversized, too slow) are logged like the others.
			onClientError: options.onRequestLogged,
			tls: extras.tls,
		});
		if (liveReload) httpServer.addUpgradeHandler((req, socket, head) => liveReload.handleUpgrade(req, socket, head));
		for (const handler of extras.upgradeHandlers(hostPolicy, options.onRequestLogged)) httpServer.addUpgradeHandler(handler);
		let address: ListeningAddress;
		try {
			address = await httpServer.listen();
		} catch (error) {
			for (const disposable of disposables.reverse()) disposable.dispose();
			await handlers?.host.dispose();
			throw error;
		}
		return new Session(root, address, httpServer, staticFiles, liveReload, watching, disposables, handlers?.host, extras);
	}

	get url(): string {
		return this.address.url;
	}

	/** Stops watching, drops the live-reload clients, then closes the HTTP server (WebSockets would hold it open). */
	async close(): Promise<void> {
		for (const disposable of this._disposables.splice(0).reverse()) disposable.dispose();
		// Together: stopping the workers answers hanging handler requests, which lets the HTTP server drain.
		await Promise.all([this._httpServer.close(), this.handlers?.dispose()]);
	}
}

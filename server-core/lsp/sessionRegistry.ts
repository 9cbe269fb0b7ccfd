import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Disposable } from '../disposable';
import { DiskFileSource } from '../documents/fileSource';
import { OverlayFileSource, type UnsavedDocuments } from '../documents/overlayFileSource';
import { isPathInside } from '../http/resolvePath';
import { readConfiguration, toServerSettings, type LiveDevServerConfiguration } from '../protocol/configuration';
import { describeConfigurationProblem, findConfigurationProblems } from '../protocol/configurationProblems';
import type { BrowserConsoleMessage } from '../protocol/browserConsole';
import type { ServerSettings } from '../protocol/settings';
import { SettingsError } from '../features/settingsError';
import type { SessionStatus, StartServerParams, StartServerResult, StateChangedParams } from '../protocol/index';
import type { RequestLogEntry } from '../protocol/requestLog';
import type { HandlerDiagnosticsEvent } from '../handlers/handlerHost';
import { FsChangeSource } from '../reload/fsChangeSource';
import { createIgnoreMatcher } from '../reload/ignoreMatcher';
import { Session, type SessionOptions } from '../session';
import { EditorChangeSource, type EditorEvent } from './editorChangeSource';
import { listenErrorAsSetting } from './listenError';
import { resolveServedRoot } from './servedRoot';

export interface SessionRegistryOptions {
	clientDir: string;
	documents: UnsavedDocuments;
	editorEvents: { on(listener: (event: EditorEvent) => void): Disposable };
	/** The raw `liveDevServer` configuration section for a folder (`workspace/configuration`). */
	fetchConfiguration(folderUri: string): Promise<unknown>;
	/** Absolute paths the editor watches for us (the workspace folders): other roots get a watcher of our own. */
	watchedFolders(): readonly string[];
	onStateChanged(params: StateChangedParams): void;
	onRequestLogged(folderUri: string, entry: RequestLogEntry): void;
	/** Handler compile errors, per file (published as LSP diagnostics). */
	onHandlerDiagnostics?(event: HandlerDiagnosticsEvent): void;
	/** Console output of served pages (sessions relay it only with the `console` setting on). */
	onConsoleMessage?(folderUri: string, message: BrowserConsoleMessage): void;
	/** Where a generated HTTPS certificate is kept (the extension's global storage). */
	storageDir?: string;
	log(message: string): void;
	/** Something the user should know about (watcher failures): the output channel at warning level. */
	warn(message: string): void;
}

interface Running {
	folderUri: string;
	params: StartServerParams;
	/** The effective options, serialised: equal keys mean a restart would change nothing. */
	key: string;
	configuredPort: number;
	session: Session;
	changeSource: EditorChangeSource;
	status: SessionStatus;
	busyPort: number | undefined;
}

/** How often connected-page counts are compared, so the status bar tooltip stays true. */
const CLIENT_POLL_MS = 1000;

/** Every served folder of this editor window: start (idempotent), restart on new settings, stop, status. */
export class SessionRegistry implements Disposable {
	private readonly _running = new Map<string, Running>();
	private readonly _queues = new Map<string, Promise<unknown>>();
	/** The settings warnings last reported per folder: said again only when they change. */
	private readonly _reportedWarnings = new Map<string, string>();
	private _poll: NodeJS.Timeout | undefined;

	constructor(private readonly _options: SessionRegistryOptions) {}

	get sessions(): SessionStatus[] {
		return [...this._running.values()].map((running) => ({ ...running.status, clients: running.session.liveReload?.clientCount ?? 0 }));
	}

	start(params: StartServerParams): Promise<StartServerResult> {
		return this._serialize(params.folderUri, () => this._start(params));
	}

	/** Stops one folder, or every one: starts still queued or under way included (they are stopped once done). */
	stop(folderUri?: string): Promise<void> {
		const folders = folderUri === undefined ? [...new Set([...this._running.keys(), ...this._queues.keys()])] : [folderUri];
		return Promise.all(folders.map((folder) => this._serialize(folder, () => this._stop(folder, 'Stopped.')))).then(() => undefined);
	}

	reload(folderUri?: string): void {
		for (const running of this._running.values()) {
			if (folderUri === undefined || running.folderUri === folderUri) running.session.liveReload?.reloadAll();
		}
	}

	/** Settings changed: every session re-reads its folder's and restarts if anything that matters differs. */
	async reconfigure(): Promise<void> {
		await Promise.all([...this._running.values()].map((running) => this.start(running.params).catch((error: Error) => {
			this._options.log(`Could not apply the new settings to ${running.folderUri}: ${error.message}`);
		})));
	}

	async closeAll(): Promise<void> {
		clearInterval(this._poll);
		this._poll = undefined;
		await this.stop();
	}

	dispose(): void {
		void this.closeAll();
	}

	private async _start(params: StartServerParams): Promise<StartServerResult> {
		const { folderUri } = params;
		const raw = await this._options.fetchConfiguration(folderUri).catch(() => undefined);
		const config = readConfiguration(raw);
		const warnings = this._newWarnings(folderUri, findConfigurationProblems(raw, config).map(describeConfigurationProblem));
		let root: string;
		try {
			root = resolveServedRoot(fileURLToPath(folderUri), config.root);
		} catch (error) {
			// New settings that cannot work stop what served the old ones: the status bar must not say otherwise.
			const existing = this._running.get(folderUri);
			if (existing !== undefined) await this._close(existing);
			return this._fail(folderUri, error, warnings);
		}
		const certDir = this._options.storageDir === undefined ? undefined : path.join(this._options.storageDir, 'certificates');
		const settings = toServerSettings(config, { extraAllowedHosts: params.allowedHosts ?? [], trusted: params.trusted, certDir });
		const key = JSON.stringify({ root, settings, reloadOn: config.reloadOn, debounce: config.debounce, trusted: params.trusted });
		const existing = this._running.get(folderUri);
		if (existing !== undefined && existing.key === key && (params.port === undefined || params.port === existing.status.port)) {
			existing.params = params;
			if (warnings !== undefined) this._options.onStateChanged({ folderUri, state: 'running', status: { ...existing.status }, warnings });
			return this._result(existing);
		}

		// A restart keeps the port the pages already use, unless the port itself is what changed.
		const port = params.port ?? (existing !== undefined && existing.configuredPort === config.port ? existing.status.port : config.port);
		if (existing !== undefined) await this._close(existing);
		this._options.onStateChanged({ folderUri, state: 'starting' });
		try {
			const changeSource = this._createChangeSource(root, config, settings);
			let session: Session;
			try {
				session = await Session.start(this._sessionOptions({ ...settings, port, root }, config, changeSource, params));
			} catch (error) {
				changeSource.dispose();
				throw error;
			}
			const running: Running = {
				folderUri,
				params,
				key,
				configuredPort: config.port,
				session,
				changeSource,
				status: { folderUri, rootUri: pathToFileURL(root).href, url: session.url, port: session.address.port, clients: 0 },
				busyPort: session.address.busyPort,
			};
			this._running.set(folderUri, running);
			this._ensurePolling();
			const message = running.busyPort === undefined ? undefined : `Port ${running.busyPort} is in use, using port ${running.status.port} instead.`;
			// Settings problems (when they changed) and what HTTPS found wrong with the certificate.
			const allWarnings = [...(warnings ?? []), ...(session.extras.tls?.warnings ?? [])];
			this._options.onStateChanged({ folderUri, state: 'running', status: { ...running.status }, ...(message === undefined ? {} : { message }), ...(allWarnings.length > 0 ? { warnings: allWarnings } : {}) });
			this._options.log(`Serving ${root} at ${session.url}${params.trusted ? '' : ' (restricted mode)'}`);
			return this._result(running);
		} catch (error) {
			return this._fail(folderUri, listenErrorAsSetting(error, settings.host, port), warnings);
		}
	}

	/** A setting that cannot work names itself, so the user knows what to fix (liveDevServer.https.cert...). */
	private _fail(folderUri: string, error: unknown, warnings: string[] | undefined): never {
		const message = error instanceof SettingsError ? `liveDevServer.${error.setting}: ${error.message}` : (error as Error).message;
		this._options.onStateChanged({ folderUri, state: 'error', message, ...(warnings === undefined ? {} : { warnings }) });
		throw error instanceof SettingsError ? new Error(message) : error;
	}

	/**
	 * Invalid values in the folder's settings (replaced by readConfiguration), for the client to log and show
	 * when they differ from what was last said; undefined when nothing is new.
	 */
	private _newWarnings(folderUri: string, warnings: string[]): string[] | undefined {
		const key = warnings.join('\n');
		if ((this._reportedWarnings.get(folderUri) ?? '') === key) return undefined;
		this._reportedWarnings.set(folderUri, key);
		return warnings.length === 0 ? undefined : warnings;
	}

	private _sessionOptions(settings: ServerSettings & { root: string }, config: LiveDevServerConfiguration, changeSource: EditorChangeSource, params: StartServerParams): SessionOptions {
		const { folderUri } = params;
		return {
			...settings,
			clientDir: this._options.clientDir,
			// Unsaved buffers are served only when pages follow typing; with `save` the disk is the truth.
			source: config.reloadOn === 'change' ? new OverlayFileSource(this._options.documents) : new DiskFileSource(),
			changeSource,
			onRequestLogged: (entry) => this._options.onRequestLogged(folderUri, entry),
			onWatcherError: this._watcherErrorReporter(settings.root),
			// `settings.handlers.enabled` is already false unless the workspace is trusted (toServerSettings).
			onHandlerLog: (message) => this._options.log(message),
			onHandlerDiagnostics: (event) => this._options.onHandlerDiagnostics?.(event),
			onConsoleMessage: (message) => this._options.onConsoleMessage?.(folderUri, message),
		};
	}

	private _createChangeSource(root: string, config: LiveDevServerConfiguration, settings: ServerSettings): EditorChangeSource {
		const watched = this._options.watchedFolders().some((folder) => isPathInside(folder, root));
		const ignore = settings.ignore;
		// Handlers run what is saved on disk, never a half-typed buffer: their sources reload on save.
		const handlersDir = settings.handlers?.enabled ? path.resolve(root, settings.handlers.dir) : undefined;
		return new EditorChangeSource({
			root,
			reloadOn: config.reloadOn,
			...(handlersDir === undefined ? {} : { isDiskOnly: (filePath: string) => isPathInside(handlersDir, filePath) }),
			typingDebounceMs: config.debounce,
			events: this._options.editorEvents,
			documents: this._options.documents,
			disk: new DiskFileSource(),
			watcher: watched ? undefined : new FsChangeSource(root, createIgnoreMatcher(ignore), this._watcherErrorReporter(root)),
		});
	}

	/** One warning per served folder: a tree of unreadable folders would otherwise flood the log. */
	private _watcherErrorReporter(root: string): (error: Error) => void {
		let reported = false;
		return (error) => {
			if (reported) return;
			reported = true;
			this._options.warn(`File watching failed for ${root}: ${error.message}. Changes there may not reload pages (further watching errors are not shown).`);
		};
	}

	private async _stop(folderUri: string, message: string): Promise<void> {
		// A new Start shows the settings warnings again.
		this._reportedWarnings.delete(folderUri);
		const running = this._running.get(folderUri);
		if (running === undefined) {
			// Said anyway: a client that believed otherwise (a start it gave up on) learns the truth.
			this._options.onStateChanged({ folderUri, state: 'stopped', message });
			return;
		}
		await this._close(running);
		this._options.onStateChanged({ folderUri, state: 'stopped', message });
		this._options.log(`Stopped serving ${fileURLToPath(running.status.rootUri)}`);
	}

	private async _close(running: Running): Promise<void> {
		this._running.delete(running.folderUri);
		running.changeSource.dispose();
		await running.session.close();
		if (this._running.size === 0) {
			clearInterval(this._poll);
			this._poll = undefined;
		}
	}

	private _result(running: Running): StartServerResult {
		const status = { ...running.status, clients: running.session.liveReload?.clientCount ?? 0 };
		return running.busyPort === undefined ? status : { ...status, busyPort: running.busyPort };
	}

	private _ensurePolling(): void {
		this._poll ??= setInterval(() => {
			for (const running of this._running.values()) {
				const clients = running.session.liveReload?.clientCount ?? 0;
				if (clients === running.status.clients) continue;
				running.status.clients = clients;
				this._options.onStateChanged({ folderUri: running.folderUri, state: 'running', status: { ...running.status } });
			}
		}, CLIENT_POLL_MS);
		this._poll.unref();
	}

	/** One operation at a time per folder: a second Start waits for the first instead of racing for the port. */
	private _serialize<T>(folderUri: string, operation: () => Promise<T>): Promise<T> {
		const previous = this._queues.get(folderUri) ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(operation);
		this._queues.set(folderUri, next);
		void next.catch(() => undefined).finally(() => {
			if (this._queues.get(folderUri) === next) this._queues.delete(folderUri);
		});
		return next;
	}
}

import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type {
	BrowserConsoleParams,
	InitializationOptions,
	ReloadParams,
	RequestLogParams,
	StartServerParams,
	StartServerResult,
	StateChangedParams,
	StatusResult,
} from '../server-core/protocol/index';
import { Disposable } from './disposable';
import { ServerProcessError, SupersededError } from './errors';

type Protocol = typeof import('../server-core/protocol/index');

/**
 * The library and the protocol objects, loaded on first use: evaluating vscode-languageclient costs tens of
 * milliseconds, which activation (status bar and commands only) does not need to pay.
 */
async function loadLibraries() {
	const [client, protocol] = await Promise.all([import('vscode-languageclient/node'), import('../server-core/protocol/index')]);
	return { client, protocol };
}

/**
 * How long the process may take to answer `initialize` before it counts as failed (a hung process would
 * otherwise leave the spinner turning forever). LIVE_DEV_SERVER_START_TIMEOUT_MS shortens it for tests.
 */
function startTimeoutMs(): number {
	const fromEnvironment = Number(process.env.LIVE_DEV_SERVER_START_TIMEOUT_MS);
	return Number.isFinite(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : 15_000;
}

/** The server process (dist/server.js) with a LanguageClient over IPC, started on first use. */
export class ServerConnection extends Disposable {
	private _client: LanguageClient | undefined;
	private _protocol: Protocol | undefined;
	private _starting: Promise<LanguageClient> | undefined;
	/** The client of `_starting`, once constructed: shutdown ends its process instead of waiting for it. */
	private _startingClient: LanguageClient | undefined;
	/** Clients whose start shutdown ended: their failure is no failure to report. */
	private readonly _abandoned = new WeakSet<LanguageClient>();
	private readonly _onDidChangeState = this._register(new vscode.EventEmitter<StateChangedParams>());
	readonly onDidChangeState = this._onDidChangeState.event;
	private readonly _onDidLogRequests = this._register(new vscode.EventEmitter<RequestLogParams>());
	readonly onDidLogRequests = this._onDidLogRequests.event;
	private readonly _onDidLogBrowserConsole = this._register(new vscode.EventEmitter<BrowserConsoleParams>());
	/** Console output of served pages (the `liveDevServer.console` setting). */
	readonly onDidLogBrowserConsole = this._onDidLogBrowserConsole.event;
	/** A running process went away without being asked to (a crash, or killed from outside). */
	private readonly _onDidCrash = this._register(new vscode.EventEmitter<void>());
	readonly onDidCrash = this._onDidCrash.event;

	constructor(private readonly _context: vscode.ExtensionContext, private readonly _log: vscode.LogOutputChannel) {
		super();
	}

	start(params: StartServerParams): Promise<StartServerResult> {
		return this._request((client, protocol) => client.sendRequest(protocol.StartServerRequest.type, params));
	}

	async stop(folderUri?: string): Promise<void> {
		if (this._client === undefined && this._starting === undefined) return; // nothing can be running
		await this._request((client, protocol) => client.sendRequest(protocol.StopServerRequest.type, folderUri === undefined ? {} : { folderUri }));
	}

	async status(): Promise<StatusResult> {
		if (this._client === undefined) return { sessions: [] };
		return this._request((client, protocol) => client.sendRequest(protocol.StatusRequest.type));
	}

	async reload(params: ReloadParams): Promise<void> {
		if (this._client !== undefined && this._protocol !== undefined) await this._client.sendNotification(this._protocol.ReloadNotification.type, params);
	}

	/** Stops the process (closing every session) and forgets it; the next request starts a new one. */
	async shutdown(): Promise<void> {
		const starting = this._starting;
		const client = this._client;
		// Forgotten first: a client that stops because we asked it to is not a crash.
		this._client = undefined;
		this._starting = undefined;
		// A start under way is ended rather than waited for (up to the start timeout): nothing it serves is wanted.
		if (this._startingClient !== undefined) {
			this._abandoned.add(this._startingClient);
			this._startingClient.serverProcess?.kill();
		}
		const stopping = client ?? (await starting?.catch(() => undefined));
		if (stopping?.isRunning()) await stopping.stop(2000).catch(() => undefined);
	}

	override dispose(): void {
		void this.shutdown();
		super.dispose();
	}

	private async _request<T>(send: (client: LanguageClient, protocol: Protocol) => Promise<T>): Promise<T> {
		const client = await this._ensureClient();
		return send(client, this._protocol!);
	}

	private _ensureClient(): Promise<LanguageClient> {
		if (this._client !== undefined) return Promise.resolve(this._client);
		if (this._starting !== undefined) return this._starting;
		// Kept only while it is still the start in question: a shutdown meanwhile forgets it.
		const starting: Promise<LanguageClient> = this._createClient().then(
			(client) => {
				if (this._starting === starting) {
					this._client = client;
					this._starting = undefined;
				}
				return client;
			},
			(error: unknown) => {
				if (this._starting === starting) this._starting = undefined;
				throw error;
			},
		);
		this._starting = starting;
		return starting;
	}

	private async _createClient(): Promise<LanguageClient> {
		const started = performance.now();
		const { client: library, protocol } = await loadLibraries();
		const { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State, TransportKind } = library;
		this._protocol = protocol;
		const module = vscode.Uri.joinPath(this._context.extensionUri, 'dist', 'server.js').fsPath;
		// No runtime option: the module is forked with VS Code's own Node (Electron as Node), nothing to install.
		const serverOptions: ServerOptions = {
			run: { module, transport: TransportKind.ipc },
			debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
		};
		const initializationOptions: InitializationOptions = {
			clientDir: this._context.asAbsolutePath('dist'),
			// The generated HTTPS certificate lives here, so browsers trusted once keep trusting it.
			storageDir: this._context.globalStorageUri.fsPath,
		};
		const clientOptions: LanguageClientOptions = {
			// Every file: any of them can be a page, a stylesheet or a script that a page uses.
			documentSelector: [{ scheme: 'file' }],
			synchronize: { configurationSection: 'liveDevServer' },
			initializationOptions,
			outputChannel: this._log,
			revealOutputChannelOn: RevealOutputChannelOn.Never,
			// A failed initialize is reported once, by whoever asked for the server (see ServerProcessError).
			initializationFailedHandler: () => false,
			errorHandler: {
				error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
				// Not restarted behind the user's back: the status bar says "stopped" and a notification offers Restart.
				closed: () => ({ action: CloseAction.DoNotRestart, handled: true }),
			},
		};
		/**
		 * The library's own notifications ("couldn't create connection", "Pending response rejected"...) stacked
		 * up to four for one failure; it still logs everything, and we show one message that offers Restart.
		 * A process dying during initialize also makes it drop two rejected promises nobody awaits
		 * (vscode-languageserver-node#1307): its internal stop() and its forgotten start promise.
		 */
		class QuietLanguageClient extends LanguageClient {
			override error(message: string, data?: unknown): void {
				super.error(message, data, false);
			}

			override stop(timeout?: number): Promise<void> {
				const stopping = super.stop(timeout);
				stopping.catch((error: Error) => this.info(`Stopping: ${error.message}`));
				return stopping;
			}
		}
		const client = new QuietLanguageClient('liveDevServer', 'Live Dev Server', serverOptions, clientOptions);
		this._startingClient = client;
		const internals = client as unknown as { createOnStartPromise?: () => [Promise<void>, ...unknown[]] };
		const createOnStartPromise = internals.createOnStartPromise?.bind(client);
		if (createOnStartPromise !== undefined) {
			internals.createOnStartPromise = () => {
				const made = createOnStartPromise();
				made[0].catch(() => undefined); // start() below is raced with our own failure signals
				return made;
			};
		}
		client.onNotification(protocol.StateChangedNotification.type, (params) => this._onDidChangeState.fire(params));
		client.onNotification(protocol.RequestLogNotification.type, (params) => this._onDidLogRequests.fire(params));
		client.onNotification(protocol.BrowserConsoleNotification.type, (params) => this._onDidLogBrowserConsole.fire(params));

		// Whatever ends the client (the process exiting, ErrorAction.Shutdown, a failed start) lands here, so a dead
		// client is never kept: the next request starts a new process.
		let failStart: (error: Error) => void = () => undefined;
		const startFailed = new Promise<never>((_resolve, reject) => (failStart = reject));
		void startFailed.catch(() => undefined); // it also rejects when a running client stops later: nobody waits then
		client.onDidChangeState(({ newState }) => {
			if (newState === State.Running || newState === State.Starting) return;
			failStart(new ServerProcessError('The Live Dev Server process exited while starting.'));
			if (this._client === client) {
				this._client = undefined;
				this._onDidCrash.fire();
			}
		});
		const timeoutMs = startTimeoutMs();
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new ServerProcessError(`The Live Dev Server process did not start within ${timeoutMs / 1000} s.`)), timeoutMs);
		});
		try {
			// start() can resolve even though the process died meanwhile (the library forgets its start promise
			// when the connection closes), hence the races and the isRunning() check.
			await Promise.race([client.start(), startFailed, timedOut]);
			if (!client.isRunning()) throw new ServerProcessError('The Live Dev Server process exited while starting.');
		} catch (error) {
			client.serverProcess?.kill();
			if (this._abandoned.has(client)) throw new SupersededError('Live Dev Server shut down while starting.');
			throw error instanceof ServerProcessError ? error : new ServerProcessError(`The Live Dev Server process could not start: ${(error as Error).message}`);
		} finally {
			clearTimeout(timer);
			if (this._startingClient === client) this._startingClient = undefined;
		}
		this._log.info(`Language server ready in ${Math.round(performance.now() - started)} ms`);
		return client;
	}
}

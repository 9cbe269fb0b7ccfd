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

type Protocol = typeof import('../server-core/protocol/index');

/**
 * The library and the protocol objects, loaded on first use: evaluating vscode-languageclient costs tens of
 * milliseconds, which activation (status bar and commands only) does not need to pay.
 */
async function loadLibraries() {
	const [client, protocol] = await Promise.all([import('vscode-languageclient/node'), import('../server-core/protocol/index')]);
	return { client, protocol };
}

/** The server process (dist/server.js) with a LanguageClient over IPC, started on first use. */
export class ServerConnection extends Disposable {
	private _client: LanguageClient | undefined;
	private _protocol: Protocol | undefined;
	private _starting: Promise<LanguageClient> | undefined;
	private readonly _onDidChangeState = this._register(new vscode.EventEmitter<StateChangedParams>());
	readonly onDidChangeState = this._onDidChangeState.event;
	private readonly _onDidLogRequests = this._register(new vscode.EventEmitter<RequestLogParams>());
	readonly onDidLogRequests = this._onDidLogRequests.event;
	private readonly _onDidLogBrowserConsole = this._register(new vscode.EventEmitter<BrowserConsoleParams>());
	/** Console output of served pages (the `liveDevServer.console` setting). */
	readonly onDidLogBrowserConsole = this._onDidLogBrowserConsole.event;
	/** The process went away without being asked to (a crash, or killed from outside). */
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
		const client = this._client ?? (await this._starting?.catch(() => undefined));
		this._client = undefined;
		this._starting = undefined;
		if (client?.isRunning()) await client.stop(2000).catch(() => undefined);
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
		this._starting ??= this._createClient().then(
			(client) => {
				this._client = client;
				this._starting = undefined;
				return client;
			},
			(error: unknown) => {
				this._starting = undefined;
				throw error;
			},
		);
		return this._starting;
	}

	private async _createClient(): Promise<LanguageClient> {
		const started = performance.now();
		const { client: library, protocol } = await loadLibraries();
		const { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind } = library;
		this._protocol = protocol;
		const module = vscode.Uri.joinPath(this._context.extensionUri, 'dist', 'server.js').fsPath;
		// No runtime option: the module is forked with VS Code's own Node (Electron as Node), nothing to install.
		const serverOptions: ServerOptions = {
			run: { module, transport: TransportKind.ipc },
			debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
		};
		const initializationOptions: InitializationOptions = {
			mediaDir: this._context.asAbsolutePath('media'),
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
			errorHandler: {
				error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
				closed: () => {
					// Not restarted behind the user's back: the status bar says "stopped" and a notification offers Restart.
					this._client = undefined;
					this._onDidCrash.fire();
					return { action: CloseAction.DoNotRestart, handled: true };
				},
			},
		};
		const client = new LanguageClient('liveDevServer', 'Live Dev Server', serverOptions, clientOptions);
		client.onNotification(protocol.StateChangedNotification.type, (params) => this._onDidChangeState.fire(params));
		client.onNotification(protocol.RequestLogNotification.type, (params) => this._onDidLogRequests.fire(params));
		client.onNotification(protocol.BrowserConsoleNotification.type, (params) => this._onDidLogBrowserConsole.fire(params));
		await client.start();
		this._log.info(`Language server ready in ${Math.round(performance.now() - started)} ms`);
		return client;
	}
}

import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import {
	CloseAction,
	ErrorAction,
	LanguageClient,
	RevealOutputChannelOn,
	TransportKind,
	type LanguageClientOptions,
	type ServerOptions,
} from 'vscode-languageclient/node';
import {
	ReloadNotification,
	RequestLogNotification,
	StartServerRequest,
	StateChangedNotification,
	StatusRequest,
	StopServerRequest,
	type InitializationOptions,
	type ReloadParams,
	type RequestLogParams,
	type StartServerParams,
	type StartServerResult,
	type StateChangedParams,
	type StatusResult,
} from '../server-core/protocol/index';
import { Disposable } from './disposable';

/** The server process (dist/server.js) with a LanguageClient over IPC, started on first use. */
export class ServerConnection extends Disposable {
	private _client: LanguageClient | undefined;
	private _starting: Promise<LanguageClient> | undefined;
	private readonly _onDidChangeState = this._register(new vscode.EventEmitter<StateChangedParams>());
	readonly onDidChangeState = this._onDidChangeState.event;
	private readonly _onDidLogRequests = this._register(new vscode.EventEmitter<RequestLogParams>());
	readonly onDidLogRequests = this._onDidLogRequests.event;
	/** The process went away without being asked to (a crash, or killed from outside). */
	private readonly _onDidCrash = this._register(new vscode.EventEmitter<void>());
	readonly onDidCrash = this._onDidCrash.event;

	constructor(private readonly _context: vscode.ExtensionContext, private readonly _log: vscode.LogOutputChannel) {
		super();
	}

	start(params: StartServerParams): Promise<StartServerResult> {
		return this._request((client) => client.sendRequest(StartServerRequest.type, params));
	}

	async stop(folderUri?: string): Promise<void> {
		if (this._client === undefined && this._starting === undefined) return; // nothing can be running
		await this._request((client) => client.sendRequest(StopServerRequest.type, folderUri === undefined ? {} : { folderUri }));
	}

	async status(): Promise<StatusResult> {
		if (this._client === undefined) return { sessions: [] };
		return this._request((client) => client.sendRequest(StatusRequest.type));
	}

	async reload(params: ReloadParams): Promise<void> {
		if (this._client !== undefined) await this._client.sendNotification(ReloadNotification.type, params);
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

	private async _request<T>(send: (client: LanguageClient) => Promise<T>): Promise<T> {
		return send(await this._ensureClient());
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
		const module = vscode.Uri.joinPath(this._context.extensionUri, 'dist', 'server.js').fsPath;
		// No runtime option: the module is forked with VS Code's own Node (Electron as Node), nothing to install.
		const serverOptions: ServerOptions = {
			run: { module, transport: TransportKind.ipc },
			debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
		};
		const initializationOptions: InitializationOptions = { mediaDir: this._context.asAbsolutePath('media') };
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
		client.onNotification(StateChangedNotification.type, (params) => this._onDidChangeState.fire(params));
		client.onNotification(RequestLogNotification.type, (params) => this._onDidLogRequests.fire(params));
		await client.start();
		this._log.info(`Language server ready in ${Math.round(performance.now() - started)} ms`);
		return client;
	}
}

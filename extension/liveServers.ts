import * as vscode from 'vscode';
import type { StartServerParams, StartServerResult } from '../server-core/protocol/index';
import { externalUrl, openInBrowser } from './browser';
import { Disposable } from './disposable';
import type { ServeTarget } from './folderPicker';
import type { ServerConnection } from './languageClient';
import type { ServerStates } from './serverStates';
import { readSettings } from './settings';
import { forwardedHostToAllow, urlForFile } from './urls';

/** Starting, stopping and opening served folders: what the commands do, without the UI prompts. */
export class LiveServers extends Disposable {
	/** What each running folder was started with, to restart it the same way (trust granted, after a crash). */
	private readonly _params = new Map<string, StartServerParams>();

	constructor(private readonly _connection: ServerConnection, private readonly _states: ServerStates, private readonly _log: vscode.LogOutputChannel) {
		super();
		this._register(_connection.onDidChangeState((params) => {
			_states.apply(params);
			if (params.state === 'stopped' || params.state === 'error') this._params.delete(params.folderUri);
			if (params.message !== undefined && params.state === 'running') this._log.info(params.message);
			for (const warning of params.warnings ?? []) {
				this._log.warn(warning);
				void vscode.window.showWarningMessage(`Live Dev Server: ${warning}`);
			}
		}));
		this._register(_connection.onDidCrash(() => this._onCrash()));
		// Trust granted: restart with it (request handlers, issue 5, may now run).
		this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
			for (const params of this._params.values()) void this._start({ ...params, trusted: true }).catch(() => undefined);
		}));
	}

	/** Serves the folder (no-op when it already is), making sure the browser's host name is accepted. */
	async start(target: ServeTarget): Promise<StartServerResult> {
		this._states.clearErrors();
		const folderUri = target.uri.toString();
		const previous = this._params.get(folderUri);
		return this._start({ folderUri, trusted: vscode.workspace.isTrusted, ...(previous?.allowedHosts ? { allowedHosts: previous.allowedHosts } : {}) });
	}

	async stop(folderUri?: string): Promise<void> {
		await this._connection.stop(folderUri);
	}

	/** Restarts the given running folders (or every one) with fresh settings and a fresh process state. */
	async restart(folderUris?: readonly string[]): Promise<void> {
		const targets = [...this._params.values()].filter((params) => folderUris === undefined || folderUris.includes(params.folderUri));
		for (const params of targets) {
			await this._connection.stop(params.folderUri);
			await this._start({ ...params, trusted: vscode.workspace.isTrusted });
		}
	}

	/** Opens the served site, or one file of it, in the browser chosen by `liveDevServer.openBrowser`. */
	async open(target: ServeTarget, result: StartServerResult, file?: vscode.Uri, { force = false } = {}): Promise<void> {
		let url = result.url;
		if (file !== undefined) {
			const fileUrl = urlForFile(result.url, vscode.Uri.parse(result.rootUri).fsPath, file.fsPath);
			if (fileUrl === undefined) {
				void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(file)} is outside the served folder ${vscode.Uri.parse(result.rootUri).fsPath}.`);
				return;
			}
			url = fileUrl;
		}
		const setting = readSettings(target.uri).openBrowser;
		// An explicit "Open in Browser" still opens something when the setting is `none`.
		await openInBrowser(url, setting === 'none' && force ? 'default' : setting, this._log);
	}

	private async _start(params: StartServerParams): Promise<StartServerResult> {
		this._states.apply({ folderUri: params.folderUri, state: 'starting' });
		let result: StartServerResult;
		try {
			result = await this._connection.start(params);
			const external = await externalUrl(result.url);
			const host = forwardedHostToAllow(result.url, external);
			if (host !== undefined && !(params.allowedHosts ?? []).includes(host)) {
				// Remote: the browser reaches us through a forwarded host name; the Host check must accept it.
				params = { ...params, allowedHosts: [...(params.allowedHosts ?? []), host] };
				result = await this._connection.start({ ...params, port: result.port });
				this._log.info(`Accepting the forwarded host ${host}`);
			}
			this._params.set(params.folderUri, params);
			this._states.apply({ folderUri: params.folderUri, state: 'running', status: result });
			this._states.setExternalUrl(params.folderUri, external);
			return result;
		} catch (error) {
			const message = (error as Error).message;
			this._states.apply({ folderUri: params.folderUri, state: 'error', message });
			this._log.error(`Could not start: ${message}`);
			throw error;
		}
	}

	private _onCrash(): void {
		const folders = [...this._params.values()];
		this._params.clear();
		this._states.resetAll('the server process stopped unexpectedly.');
		this._log.error('The Live Dev Server process stopped unexpectedly.');
		void vscode.window.showErrorMessage('Live Dev Server stopped unexpectedly. Pages are no longer served.', 'Restart', 'Show Log').then(async (choice) => {
			if (choice === 'Show Log') this._log.show(true);
			if (choice !== 'Restart') return;
			this._states.clearErrors();
			for (const params of folders) await this._start({ ...params, trusted: vscode.workspace.isTrusted }).catch(() => undefined);
		});
	}
}

import * as vscode from 'vscode';
import type { StartServerParams, StartServerResult } from '../server-core/protocol/index';
import { externalUrl, openInBrowser } from './browser';
import { Disposable } from './disposable';
import { ReportedError, ServerProcessError, SupersededError } from './errors';
import type { ServeTarget } from './folderPicker';
import type { ServerConnection } from './languageClient';
import type { ServerStates } from './serverStates';
import { readSettings } from './settings';
import { forwardedHostToAllow, urlForFile } from './urls';

export interface StartOutcome {
	result: StartServerResult;
	/** False when this call joined a start of the same folder already under way (whose caller opens the browser). */
	first: boolean;
}

/** Starting, stopping and opening served folders: what the commands do, without the UI prompts. */
export class LiveServers extends Disposable {
	/** What each running folder was started with, to restart it the same way (trust granted, after a crash). */
	private readonly _params = new Map<string, StartServerParams>();
	/**
	 * Bumped by every start and stop of a folder. A start applies what it learnt only while its number is still
	 * the folder's: a Stop pressed meanwhile wins, and the result of the overtaken start is dropped.
	 */
	private readonly _generations = new Map<string, number>();
	private readonly _pending = new Map<string, { params: StartServerParams; run: Promise<StartServerResult> }>();
	/** The folders each process failure's notification restarts: one notification for all the starts it failed. */
	private readonly _restartOffers = new WeakMap<object, StartServerParams[]>();

	constructor(private readonly _connection: ServerConnection, private readonly _states: ServerStates, private readonly _log: vscode.LogOutputChannel) {
		super();
		this._register(_connection.onDidChangeState((params) => {
			_states.apply(params);
			if (params.state === 'stopped' || params.state === 'error') this._params.delete(params.folderUri);
			if (params.message !== undefined && params.state === 'running') this._log.info(params.message);
			if (params.warnings !== undefined && params.warnings.length > 0) showWarnings(params.warnings, this._log);
		}));
		this._register(_connection.onDidCrash(() => this._onCrash()));
		// Trust granted: restart with it (request handlers, issue 5, may now run).
		this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
			for (const params of this._params.values()) void this._start({ ...params, trusted: true }).catch(() => undefined);
		}));
	}

	/** Serves the folder (no-op when it already is), making sure the browser's host name is accepted. */
	async start(target: ServeTarget): Promise<StartOutcome> {
		const folderUri = target.uri.toString();
		const pending = this._pending.get(folderUri);
		if (pending !== undefined) return { result: await pending.run, first: false };
		this._states.clearErrors();
		const previous = this._params.get(folderUri);
		const result = await this._start({ folderUri, trusted: vscode.workspace.isTrusted, ...(previous?.allowedHosts ? { allowedHosts: previous.allowedHosts } : {}) });
		return { result, first: true };
	}

	/** Stops one folder, or every one; a start still under way is stopped too (and its result dropped). */
	async stop(folderUri?: string): Promise<void> {
		const folders = folderUri === undefined ? this._knownFolders() : [folderUri];
		const generations = folders.map((folder) => [folder, this._bump(folder)] as const);
		await this._connection.stop(folderUri);
		for (const [folder, generation] of generations) {
			if (this._generations.get(folder) !== generation) continue; // started again meanwhile
			this._params.delete(folder);
			this._states.apply({ folderUri: folder, state: 'stopped' });
		}
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

	private _start(params: StartServerParams): Promise<StartServerResult> {
		const generation = this._bump(params.folderUri);
		const run = this._run(params, () => this._generations.get(params.folderUri) === generation);
		const entry = { params, run };
		this._pending.set(params.folderUri, entry);
		const forget = () => {
			if (this._pending.get(params.folderUri) === entry) this._pending.delete(params.folderUri);
		};
		run.then(forget, forget);
		return run;
	}

	private async _run(params: StartServerParams, isCurrent: () => boolean): Promise<StartServerResult> {
		const { folderUri } = params;
		const superseded = () => new SupersededError('Stopped while starting.');
		this._states.apply({ folderUri, state: 'starting' });
		try {
			let result = await this._connection.start(params);
			if (!isCurrent()) throw superseded();
			const external = await externalUrl(result.url);
			if (!isCurrent()) throw superseded();
			const host = forwardedHostToAllow(result.url, external);
			if (host !== undefined && !(params.allowedHosts ?? []).includes(host)) {
				// Remote: the browser reaches us through a forwarded host name; the Host check must accept it.
				params = { ...params, allowedHosts: [...(params.allowedHosts ?? []), host] };
				result = await this._connection.start({ ...params, port: result.port });
				if (!isCurrent()) throw superseded();
				this._log.info(`Accepting the forwarded host ${host}`);
			}
			this._params.set(folderUri, params);
			this._states.apply({ folderUri, state: 'running', status: result });
			this._states.setExternalUrl(folderUri, result.port, external);
			return result;
		} catch (error) {
			// A failure of a start that was stopped meanwhile concerns nobody any more.
			if (error instanceof SupersededError || !isCurrent()) throw error instanceof SupersededError ? error : superseded();
			const message = (error as Error).message;
			this._states.apply({ folderUri, state: 'error', message });
			this._log.error(`Could not start: ${message}`);
			if (!(error instanceof ServerProcessError)) throw error;
			// Starts of several folders waiting for the same process fail with the same error: one notification.
			const offered = this._restartOffers.get(error);
			if (offered !== undefined) offered.push(params);
			else this._restartOffers.set(error, this._offerRestart(message, [params]));
			throw new ReportedError(message);
		}
	}

	private _bump(folderUri: string): number {
		const next = (this._generations.get(folderUri) ?? 0) + 1;
		this._generations.set(folderUri, next);
		return next;
	}

	/** Every folder that runs or is starting, as far as this window knows. */
	private _knownFolders(): string[] {
		const folders = new Set([...this._params.keys(), ...this._pending.keys()]);
		for (const state of this._states.active) folders.add(state.folderUri);
		return [...folders];
	}

	private _onCrash(): void {
		// Starts under way die with the process: they are restarted with the rest, and report nothing themselves.
		const starting = [...this._pending.values()].map((entry) => entry.params);
		for (const params of starting) this._bump(params.folderUri);
		const folders = [...this._params.values(), ...starting.filter((params) => !this._params.has(params.folderUri))];
		this._params.clear();
		if (folders.length === 0 && this._states.active.length === 0) {
			// Nothing was served: nothing is lost, and the next start forks a new process.
			this._states.resetAll(undefined);
			this._log.warn('The Live Dev Server process stopped unexpectedly while idle; it starts again when needed.');
			return;
		}
		this._states.resetAll('the server process stopped unexpectedly.');
		this._log.error('The Live Dev Server process stopped unexpectedly.');
		this._offerRestart('Live Dev Server stopped unexpectedly. Pages are no longer served.', folders, { prefix: false });
	}

	/**
	 * One notification per failure of the process, with Restart (serving what was asked for again) and Show Log.
	 * Returns the list of folders to restart, which may still grow until the user answers.
	 */
	private _offerRestart(message: string, folders: StartServerParams[], { prefix = true } = {}): StartServerParams[] {
		void vscode.window.showErrorMessage(prefix ? `Live Dev Server: ${message}` : message, 'Restart', 'Show Log').then(async (choice) => {
			if (choice === 'Show Log') this._log.show(true);
			if (choice !== 'Restart') return;
			this._states.clearErrors();
			for (const params of folders) await this._start({ ...params, trusted: vscode.workspace.isTrusted }).catch(() => undefined);
		});
		return folders;
	}
}

/** A warning about one setting, as the server words them: `liveDevServer.debounce: …`. */
const SETTING_WARNING = /^(liveDevServer\.[\w.]+): /;

/**
 * What the server found wrong but worked around (invalid setting values it replaced, an HTTPS certificate
 * browsers will refuse): each a warning in the log, and one notification for them all, so a typo in
 * settings.json is noticed instead of silently serving something else.
 */
function showWarnings(warnings: readonly string[], log: vscode.LogOutputChannel): void {
	const settings: string[] = [];
	const others: string[] = [];
	for (const warning of warnings) {
		log.warn(warning);
		const setting = SETTING_WARNING.exec(warning)?.[1];
		if (setting === undefined) others.push(warning);
		else settings.push(setting);
	}
	const parts = settings.length > 1 ? [`${settings.length} settings have invalid values and were replaced: ${settings.join(', ')}.`, ...others] : warnings;
	const items = settings.length > 0 ? ['Open Settings', 'Show Log'] : ['Show Log'];
	void vscode.window.showWarningMessage(`Live Dev Server: ${parts.join(' ')}`, ...items).then((choice) => {
		if (choice === 'Show Log') log.show(true);
		if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', settings[0]);
	});
}

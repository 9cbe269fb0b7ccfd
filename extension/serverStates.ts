import * as vscode from 'vscode';
import type { ServerState, SessionStatus, StateChangedParams } from '../server-core/protocol/index';
import { Disposable } from './disposable';

export interface FolderState {
	folderUri: string;
	state: ServerState;
	status?: SessionStatus;
	/** The browser's URL for it (forwarded in remote setups). */
	externalUrl?: string;
	message?: string;
}

/** What the extension knows about each served folder: only what the server said, or "stopped". */
export class ServerStates extends Disposable {
	private readonly _states = new Map<string, FolderState>();
	/**
	 * The browser URL of each folder's port (forwarded in remote setups). Kept apart from the states, which a
	 * restart in place replaces ('starting' carries no status): the forwarded URL stays valid while the port does.
	 */
	private readonly _externalUrls = new Map<string, { port: number; url: string }>();
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	readonly onDidChange = this._onDidChange.event;

	get(folderUri: string): FolderState | undefined {
		return this._states.get(folderUri);
	}

	get all(): FolderState[] {
		return [...this._states.values()];
	}

	get running(): FolderState[] {
		return this.all.filter((state) => state.state === 'running' && state.status !== undefined);
	}

	get starting(): boolean {
		return this.all.some((state) => state.state === 'starting');
	}

	/** Folders that run or are starting: what Stop acts on. */
	get active(): FolderState[] {
		return this.all.filter((state) => state.state === 'starting' || (state.state === 'running' && state.status !== undefined));
	}

	/** The last failure, while nothing runs or starts (shown until the next start). */
	get lastError(): FolderState | undefined {
		return this.all.find((state) => state.state === 'error');
	}

	apply(params: StateChangedParams): void {
		const next: FolderState = { folderUri: params.folderUri, state: params.state };
		if (params.status !== undefined) next.status = params.status;
		if (params.message !== undefined) next.message = params.message;
		const external = this._externalUrls.get(params.folderUri);
		if (external !== undefined && params.status?.port === external.port) next.externalUrl = external.url;
		if (next.state === 'stopped' || next.state === 'error') this._externalUrls.delete(params.folderUri);
		if (next.state === 'stopped') this._states.delete(params.folderUri);
		else this._states.set(params.folderUri, next);
		this._onDidChange.fire();
	}

	setExternalUrl(folderUri: string, port: number, externalUrl: string): void {
		this._externalUrls.set(folderUri, { port, url: externalUrl });
		const state = this._states.get(folderUri);
		if (state === undefined || state.status?.port !== port) return;
		state.externalUrl = externalUrl;
		this._onDidChange.fire();
	}

	/** The server process is gone: nothing is served any more, whatever was said before. */
	resetAll(message: string | undefined): void {
		const hadAny = this._states.size > 0;
		this._states.clear();
		this._externalUrls.clear();
		if (message !== undefined) this._states.set('', { folderUri: '', state: 'error', message });
		if (hadAny || message !== undefined) this._onDidChange.fire();
	}

	clearErrors(): void {
		let changed = false;
		for (const [key, state] of this._states) {
			if (state.state === 'error') {
				this._states.delete(key);
				changed = true;
			}
		}
		if (changed) this._onDidChange.fire();
	}
}

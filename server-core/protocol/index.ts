/**
 * The custom LSP methods between the extension (client) and server-core (server), all under `liveDevServer/`.
 * This folder is the only part of server-core the extension imports. Standard LSP (document sync, watched
 * files, configuration, workspace folders, shutdown) needs no types here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { BrowserConsoleMessage } from './browserConsole';
import type { RequestLogEntry } from './requestLog';

export type { BrowserConsoleMessage } from './browserConsole';
export type { LoggedHeaders, RequestLogEntry } from './requestLog';
export * from './configuration';

/** `initialize` → `initializationOptions`. */
export interface InitializationOptions {
	/** Folder holding live-reload.js (the bundled browser client): the client passes `context.asAbsolutePath('dist')`, tests the repo's dist/. */
	clientDir: string;
	/** The extension's global storage folder: the generated HTTPS certificate is kept (and reused) there. */
	storageDir?: string;
}

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

/** One served folder as the client sees it. Every URI is a `file:` URI string. */
export interface SessionStatus {
	/** The session's key: the workspace folder (or, without a folder, the directory of the opened file). */
	folderUri: string;
	/** The folder actually served (`folderUri` + the `root` setting). */
	rootUri: string;
	url: string;
	port: number;
	/** Browser pages connected for live reload. */
	clients: number;
}

export interface StartServerParams {
	folderUri: string;
	/**
	 * `vscode.workspace.isTrusted`. Anything that runs workspace code (request handlers) only runs when true;
	 * static serving and live reload work either way.
	 */
	trusted: boolean;
	/** Extra Host names to accept, such as the forwarded host from `env.asExternalUri` in remote setups. */
	allowedHosts?: string[];
	/** Ask for this port (used when restarting a running session in place); otherwise the `port` setting. */
	port?: number;
}

export interface StartServerResult extends SessionStatus {
	/** The configured port, when it was busy and `port` is another one. */
	busyPort?: number;
}

/**
 * Client → server: serve a folder. Idempotent: a running session with the same effective options is returned
 * as is; different options (settings, trust, hosts) restart it.
 */
export namespace StartServerRequest {
	export const method: 'liveDevServer/start' = 'liveDevServer/start';
	export const type = new RequestType<StartServerParams, StartServerResult, void>(method);
}

export interface StopServerParams {
	/** Omitted: stop every session. */
	folderUri?: string;
}

/** Client → server: stop serving one folder, or all. Resolves once the port is closed. */
export namespace StopServerRequest {
	export const method: 'liveDevServer/stop' = 'liveDevServer/stop';
	export const type = new RequestType<StopServerParams, void, void>(method);
}

export interface StatusResult {
	sessions: SessionStatus[];
}

/** Client → server: the running sessions. */
export namespace StatusRequest {
	export const method: 'liveDevServer/status' = 'liveDevServer/status';
	export const type = new RequestType0<StatusResult, void>(method);
}

export interface ReloadParams {
	/** Omitted: every session. */
	folderUri?: string;
}

/** Client → server: reload every connected browser page now (the "Reload Browsers" command). */
export namespace ReloadNotification {
	export const method: 'liveDevServer/reload' = 'liveDevServer/reload';
	export const type = new NotificationType<ReloadParams>(method);
}

export interface StateChangedParams {
	folderUri: string;
	state: ServerState;
	/** Set while running. */
	status?: SessionStatus;
	/** Why it stopped or failed; or what happened (`Port 5500 was busy...`). */
	message?: string;
	/**
	 * Problems that did not stop the server but need the user, one sentence each: an HTTPS certificate browsers
	 * will refuse (with `running`), and settings holding invalid values, each naming the setting and the value
	 * used instead (`liveDevServer.port: "abc" is not valid (...); using 5500.`), sent with the first state after
	 * they change. The client logs them as warnings and shows one notification.
	 */
	warnings?: string[];
}

/**
 * Server → client: a session changed state, or its number of connected pages changed. The status bar shows
 * only what these (and the request results) say.
 */
export namespace StateChangedNotification {
	export const method: 'liveDevServer/stateChanged' = 'liveDevServer/stateChanged';
	export const type = new NotificationType<StateChangedParams>(method);
}

export interface RequestLogParams {
	folderUri: string;
	/** In completion order; headers are already redacted. */
	entries: RequestLogEntry[];
}

/** Server → client: completed HTTP requests, batched (at most every 100 ms, at most 200 entries each). */
export namespace RequestLogNotification {
	export const method: 'liveDevServer/requestLog' = 'liveDevServer/requestLog';
	export const type = new NotificationType<RequestLogParams>(method);
}

export interface BrowserConsoleParams {
	folderUri: string;
	message: BrowserConsoleMessage;
}

/** Server → client: a console call or uncaught error of a served page (only with the `console` setting on). */
export namespace BrowserConsoleNotification {
	export const method: 'liveDevServer/browserConsole' = 'liveDevServer/browserConsole';
	export const type = new NotificationType<BrowserConsoleParams>(method);
}

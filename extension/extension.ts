// The VS Code extension's entry: creates the parts and wires them; everything else lives in its own file.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { BrowserConsoleChannel } from './browserConsoleChannel';
import { registerCommands } from './commands';
import { ServerConnection } from './languageClient';
import { LiveServers } from './liveServers';
import { RequestLogChannel } from './requestLogChannel';
import { ServerStates } from './serverStates';
import { StatusBar } from './statusBar';

/** What activate returns: for extension-host tests and other extensions; stable enough to rely on. */
export interface LiveDevServerApi {
	/** Milliseconds activate() took. */
	activationMs: number;
	states: ServerStates;
	/** Asks the server process for its sessions (connected pages included). */
	status(): ReturnType<ServerConnection['status']>;
}

let connection: ServerConnection | undefined;

export function activate(context: vscode.ExtensionContext): LiveDevServerApi {
	const started = performance.now();
	const log = vscode.window.createOutputChannel('Live Dev Server', { log: true });
	connection = new ServerConnection(context, log);
	const states = new ServerStates();
	const servers = new LiveServers(connection, states, log);
	context.subscriptions.push(
		log,
		connection,
		states,
		servers,
		new StatusBar(states),
		new RequestLogChannel(log, connection.onDidLogRequests, () => states.running.length),
		new BrowserConsoleChannel(connection.onDidLogBrowserConsole),
		...registerCommands({ servers, states, log, reloadBrowsers: () => connection!.reload({}) }),
	);
	const activationMs = performance.now() - started;
	log.info(`Activated in ${activationMs.toFixed(1)} ms`);
	const client = connection;
	return { activationMs, states, status: () => client.status() };
}

/** Closes every server (awaited by VS Code, so ports are free when the window closes). */
export async function deactivate(): Promise<void> {
	await connection?.shutdown();
	connection = undefined;
}

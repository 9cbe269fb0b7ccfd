import * as vscode from 'vscode';
import { ReportedError, SupersededError } from './errors';
import { pickTarget, targetForFile, type ServeTarget } from './folderPicker';
import type { LiveServers } from './liveServers';
import type { ServerStates } from './serverStates';

export interface CommandDeps {
	servers: LiveServers;
	states: ServerStates;
	log: vscode.LogOutputChannel;
	reloadBrowsers(): Promise<void>;
}

/** The palette commands (category "Live Dev Server"), the status-bar toggle and the context-menu entry. */
export function registerCommands({ servers, states, log, reloadBrowsers }: CommandDeps): vscode.Disposable[] {
	/**
	 * One browser page per start: a second Start while the first is under way waits for it and opens nothing
	 * more. The explicit open commands (force) always open what was asked for.
	 */
	const startAndOpen = async (target: ServeTarget, file?: vscode.Uri, force = false) => {
		const { result, first } = await servers.start(target);
		if (first || force) await servers.open(target, result, file, { force });
		return result;
	};
	/** An HTML file in the active editor is opened rather than the folder (what "Go Live" users expect). */
	const activeHtml = (target: ServeTarget) => {
		const document = vscode.window.activeTextEditor?.document;
		if (document === undefined || !HTML_FILE.test(document.uri.path) || targetForFile(document.uri)?.uri.toString() !== target.uri.toString()) return undefined;
		return document.uri;
	};
	const start = async () => {
		const target = await pickTarget('Choose the folder to serve');
		if (target !== undefined) await startAndOpen(target, activeHtml(target));
	};
	const stop = async () => {
		const folderUri = await pickRunning(states, 'Choose the server to stop');
		if (folderUri !== undefined) await servers.stop(folderUri === ALL ? undefined : folderUri);
	};
	const openFile = async (file: vscode.Uri | undefined) => {
		const uri = file ?? vscode.window.activeTextEditor?.document.uri;
		if (uri === undefined || uri.scheme !== 'file') {
			void vscode.window.showErrorMessage('Live Dev Server: open a file from disk first.');
			return;
		}
		const target = targetForFile(uri);
		if (target !== undefined) await startAndOpen(target, uri, true);
	};

	const commands: Record<string, (...args: never[]) => Promise<unknown>> = {
		'liveDevServer.start': start,
		'liveDevServer.stop': stop,
		// A server that is still starting counts as on: the click stops it (and drops its browser page).
		'liveDevServer.toggle': () => (states.active.length > 0 ? stop() : start()),
		'liveDevServer.restart': async () => {
			if (states.running.length === 0) return start();
			const folderUri = await pickRunning(states, 'Choose the server to restart');
			if (folderUri !== undefined) await servers.restart(folderUri === ALL ? undefined : [folderUri]);
			return undefined;
		},
		'liveDevServer.openInBrowser': async () => {
			const target = await pickTarget('Choose the folder to open');
			if (target !== undefined) await startAndOpen(target, undefined, true);
		},
		'liveDevServer.openCurrentFile': () => openFile(undefined),
		'liveDevServer.openWith': (uri?: vscode.Uri) => openFile(uri),
		'liveDevServer.showRequestLog': async () => log.show(true),
		'liveDevServer.reloadBrowsers': reloadBrowsers,
	};
	return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, (...args: never[]) => report(run(...args))));
}

/**
 * Failures become one clear notification (details are in the log), never an unhandled rejection. A failure
 * already notified (with its Restart) and a start that Stop overtook show nothing more.
 */
async function report<T>(work: Promise<T>): Promise<T | undefined> {
	try {
		return await work;
	} catch (error) {
		if (!(error instanceof ReportedError || error instanceof SupersededError)) void vscode.window.showErrorMessage(`Live Dev Server: ${(error as Error).message}`);
		return undefined;
	}
}

/** The page types of the context menus (package.json `resourceExtname`), which open as themselves. */
const HTML_FILE = /\.(html?|xhtml)$/i;

const ALL = '*';

/** The one running or starting server, or the user's choice among several ("All" included). */
async function pickRunning(states: ServerStates, placeHolder: string): Promise<string | undefined> {
	const active = states.active;
	if (active.length <= 1) return active[0]?.folderUri;
	const items = active.map((state) => state.status === undefined
		? { label: 'Starting…', description: vscode.Uri.parse(state.folderUri).fsPath, folderUri: state.folderUri }
		: { label: `Port ${state.status.port}`, description: vscode.Uri.parse(state.status.rootUri).fsPath, folderUri: state.folderUri });
	const picked = await vscode.window.showQuickPick([...items, { label: 'All', description: `${active.length} servers`, folderUri: ALL }], { placeHolder });
	return picked?.folderUri;
}


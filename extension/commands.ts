import * as vscode from 'vscode';
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
	const startAndOpen = async (target: ServeTarget, file?: vscode.Uri, force = false) => {
		const result = await servers.start(target);
		await servers.open(target, result, file, { force });
		return result;
	};
	/** An HTML file in the active editor is opened rather than the folder (what "Go Live" users expect). */
	const activeHtml = (target: ServeTarget) => {
		const document = vscode.window.activeTextEditor?.document;
		if (document === undefined || !/\.html?$/i.test(document.uri.path) || targetForFile(document.uri)?.uri.toString() !== target.uri.toString()) return undefined;
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
		'liveDevServer.toggle': () => (states.running.length > 0 ? stop() : start()),
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

/** Failures become one clear notification (details are in the log), never an unhandled rejection. */
async function report<T>(work: Promise<T>): Promise<T | undefined> {
	try {
		return await work;
	} catch (error) {
		void vscode.window.showErrorMessage(`Live Dev Server: ${(error as Error).message}`);
		return undefined;
	}
}

const ALL = '*';

/** The one running server, or the user's choice among several ("All" included). */
async function pickRunning(states: ServerStates, placeHolder: string): Promise<string | undefined> {
	const running = states.running;
	if (running.length <= 1) return running[0]?.folderUri;
	const items = running.map((state) => ({ label: `Port ${state.status!.port}`, description: vscode.Uri.parse(state.status!.rootUri).fsPath, folderUri: state.folderUri }));
	const picked = await vscode.window.showQuickPick([...items, { label: 'All', description: `${running.length} servers`, folderUri: ALL }], { placeHolder });
	return picked?.folderUri;
}


import * as path from 'node:path';
import * as vscode from 'vscode';

/** What one server serves: a workspace folder, or (without one) the folder of an opened file. */
export interface ServeTarget {
	uri: vscode.Uri;
	name: string;
}

/** The target for a file: its workspace folder, or its own folder when it is in none. */
export function targetForFile(file: vscode.Uri): ServeTarget | undefined {
	const folder = vscode.workspace.getWorkspaceFolder(file);
	if (folder !== undefined) return { uri: folder.uri, name: folder.name };
	if (file.scheme !== 'file') return undefined;
	const directory = vscode.Uri.file(path.dirname(file.fsPath));
	return { uri: directory, name: path.basename(directory.fsPath) || directory.fsPath };
}

/**
 * The folder a command acts on: the only workspace folder, or the one the user picks when there are several
 * (the active editor's first), or without any folder the active file's own folder.
 */
export async function pickTarget(placeHolder: string): Promise<ServeTarget | undefined> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	const active = vscode.window.activeTextEditor?.document.uri;
	if (folders.length === 1) return { uri: folders[0]!.uri, name: folders[0]!.name };
	if (folders.length === 0) {
		const target = active === undefined ? undefined : targetForFile(active);
		if (target === undefined) void vscode.window.showErrorMessage('Live Dev Server: open a folder or an HTML file first.');
		return target;
	}
	const activeFolder = active === undefined ? undefined : vscode.workspace.getWorkspaceFolder(active);
	const ordered = activeFolder === undefined ? folders : [activeFolder, ...folders.filter((folder) => folder !== activeFolder)];
	const picked = await vscode.window.showQuickPick(
		ordered.map((folder) => ({ label: folder.name, description: folder === activeFolder ? 'active editor' : undefined, detail: folder.uri.fsPath, folder })),
		{ placeHolder },
	);
	return picked === undefined ? undefined : { uri: picked.folder.uri, name: picked.folder.name };
}

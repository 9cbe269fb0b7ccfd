import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { FolderState, ServerStates } from './serverStates';

/**
 * "Go Live" when nothing is served, "Port 5500" while serving (tooltip: URL and connected pages), a spinner
 * while starting. Click toggles. It renders only from ServerStates, which follow the server's notifications.
 */
export class StatusBar extends Disposable {
	private readonly _item = this._register(vscode.window.createStatusBarItem('liveDevServer.status', vscode.StatusBarAlignment.Right, 100));

	constructor(private readonly _states: ServerStates) {
		super();
		this._item.name = 'Live Dev Server';
		this._item.command = 'liveDevServer.toggle';
		this._register(_states.onDidChange(() => this._render()));
		this._render();
		this._item.show();
	}

	private _render(): void {
		const item = this._item;
		const running = this._states.running;
		item.backgroundColor = undefined;
		if (this._states.starting) {
			item.text = '$(loading~spin) Starting…';
			item.tooltip = 'Live Dev Server is starting. Click to stop.';
			item.accessibilityInformation = { label: 'Live Dev Server is starting. Click to stop.' };
			return;
		}
		if (running.length > 0) {
			const ports = running.map((state) => state.status!.port);
			item.text = `$(circle-slash) ${ports.length === 1 ? 'Port' : 'Ports'} ${ports.join(', ')}`;
			item.tooltip = runningTooltip(running);
			item.accessibilityInformation = { label: `Live Dev Server running on ${item.text.replace(/^\$\([^)]*\) /, '')}. Click to stop.` };
			return;
		}
		item.text = '$(broadcast) Go Live';
		const error = this._states.lastError;
		if (error !== undefined) {
			item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
			item.tooltip = `Live Dev Server stopped: ${error.message ?? 'unknown error'}\n\nClick to start it again.`;
		} else {
			item.tooltip = 'Click to start Live Dev Server';
		}
		item.accessibilityInformation = { label: 'Go Live: start Live Dev Server' };
	}
}

function runningTooltip(running: readonly FolderState[]): vscode.MarkdownString {
	const markdown = new vscode.MarkdownString('', true);
	for (const state of running) {
		const status = state.status!;
		const url = state.externalUrl ?? status.url;
		const clients = status.clients === 1 ? '1 browser page connected' : `${status.clients} browser pages connected`;
		markdown.appendMarkdown(`$(broadcast) [${url}](${url})  \n${clients}  \n`);
		markdown.appendText(vscode.Uri.parse(status.rootUri).fsPath);
		markdown.appendMarkdown('\n\n');
	}
	markdown.appendMarkdown('Click to stop.');
	return markdown;
}

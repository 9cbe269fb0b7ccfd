import * as vscode from 'vscode';
import type { BrowserConsoleParams } from '../server-core/protocol/index';
import { Disposable } from './disposable';

/** The page's console level → the log channel's: `console.log` and `console.info` are both info. */
const LEVELS = { log: 'info', info: 'info', warn: 'warn', error: 'error' } as const;

/**
 * "Live Dev Server: Browser Console": what served pages print (`liveDevServer.console`), one line per call with the
 * page URL. The channel is created on the first message, so it never clutters the list while the feature is off.
 */
export class BrowserConsoleChannel extends Disposable {
	private _channel: vscode.LogOutputChannel | undefined;

	constructor(onDidLogBrowserConsole: vscode.Event<BrowserConsoleParams>) {
		super();
		this._register(onDidLogBrowserConsole((params) => this.append(params)));
	}

	append({ message }: BrowserConsoleParams): void {
		this._channel ??= this._register(vscode.window.createOutputChannel('Live Dev Server: Browser Console', { log: true }));
		this._channel[LEVELS[message.level] ?? 'info'](`${message.text}  (${message.url})`);
	}
}

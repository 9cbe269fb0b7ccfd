import * as vscode from 'vscode';
import type { RequestLogParams } from '../server-core/protocol/index';
import { Disposable } from './disposable';
import { formatHeaderLines, formatRequestLine, requestLogLevel } from './requestLogFormat';
import { readSettings } from './settings';

/**
 * Writes request-log batches to the "Live Dev Server" log channel: one line per request at info, warn (4xx)
 * or error (5xx) level; headers under it when `liveDevServer.log.headers` is on, else at debug level only.
 */
export class RequestLogChannel extends Disposable {
	constructor(private readonly _log: vscode.LogOutputChannel, onDidLogRequests: vscode.Event<RequestLogParams>, private readonly _folderCount: () => number) {
		super();
		this._register(onDidLogRequests((params) => this.append(params)));
	}

	append({ folderUri, entries }: RequestLogParams): void {
		const folder = vscode.Uri.parse(folderUri);
		const alwaysHeaders = readSettings(folder).log.headers;
		const debugHeaders = !alwaysHeaders && this._log.logLevel !== vscode.LogLevel.Off && this._log.logLevel <= vscode.LogLevel.Debug;
		const name = this._folderCount() > 1 ? folder.path.split('/').pop() : undefined;
		for (const entry of entries) {
			const level = requestLogLevel(entry);
			const line = formatRequestLine(entry, name);
			if (alwaysHeaders) this._log[level]([line, ...formatHeaderLines(entry)].join('\n'));
			else this._log[level](line);
			if (debugHeaders) this._log.debug([`headers of ${entry.method} ${entry.path}`, ...formatHeaderLines(entry)].join('\n'));
		}
	}
}

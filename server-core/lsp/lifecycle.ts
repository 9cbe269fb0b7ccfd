import {
	DidChangeWatchedFilesNotification,
	FileChangeType,
	TextDocumentSyncKind,
	type ClientCapabilities,
	type Connection,
	type FileEvent,
	type InitializeParams,
	type InitializeResult,
	type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { InitializationOptions } from '../protocol/index';
import type { FileChange, FileChangeKind } from '../reload/changeSource';
import { VERSION } from '../version';
import { filePathOf } from './documentSync';

/** What the server answers to `initialize`: incremental document sync with saves, and workspace folders. */
export function serverCapabilities(): InitializeResult {
	return {
		capabilities: {
			textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
			workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
		},
		serverInfo: { name: 'Live Dev Server', version: VERSION },
	};
}

/** Validates `initializationOptions`; the client's folder is required (server-core never guesses its install layout). */
export function readInitializationOptions(params: InitializeParams, fallbackClientDir: string): InitializationOptions {
	const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
	return {
		clientDir: typeof options?.clientDir === 'string' ? options.clientDir : fallbackClientDir,
		...(typeof options?.storageDir === 'string' && options.storageDir !== '' ? { storageDir: options.storageDir } : {}),
	};
}

/** The workspace folders as absolute paths (the editor watches these for us). */
export class WorkspaceFolders {
	private readonly _folders = new Map<string, string>();

	constructor(initial: readonly WorkspaceFolder[] | null | undefined) {
		for (const folder of initial ?? []) this.add(folder.uri);
	}

	add(uri: string): void {
		const folderPath = filePathOf(uri);
		if (folderPath !== undefined) this._folders.set(uri, folderPath);
	}

	remove(uri: string): void {
		this._folders.delete(uri);
	}

	get paths(): string[] {
		return [...this._folders.values()];
	}
}

/**
 * Asks the client to watch every file of the workspace and report changes (workspace/didChangeWatchedFiles).
 * Returns false when the client cannot register watchers dynamically: sessions then watch the disk themselves.
 */
export async function registerFileWatchers(connection: Connection, capabilities: ClientCapabilities): Promise<boolean> {
	if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration !== true) return false;
	try {
		await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
		return true;
	} catch (error) {
		connection.console.warn(`File watchers could not be registered (${(error as Error).message}); watching the disk instead.`);
		return false;
	}
}

const KINDS: Record<number, FileChangeKind> = {
	[FileChangeType.Created]: 'created',
	[FileChangeType.Changed]: 'changed',
	[FileChangeType.Deleted]: 'deleted',
};

/** LSP file events → server-core FileChanges (file: URIs only). */
export function toFileChanges(events: readonly FileEvent[]): FileChange[] {
	const changes: FileChange[] = [];
	for (const event of events) {
		const filePath = filePathOf(event.uri);
		const kind = KINDS[event.type];
		if (filePath !== undefined && kind !== undefined) changes.push({ path: filePath, kind });
	}
	return changes;
}

import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { BrowserConsoleParams, RequestLogEntry, StateChangedParams } from '../../server-core/protocol/index';
import { REPO_ROOT } from './tempWorkspace';
import { waitFor } from './waitFor';

export interface Registration {
	id: string;
	method: string;
	registerOptions?: unknown;
}

export interface ServerCoreOptions {
	workspaceFolders?: string[];
	/** The `liveDevServer` section returned for `workspace/configuration`, per folder URI (`*` for any). */
	configuration?: Record<string, Record<string, unknown>>;
	/** Whether the client claims dynamic registration of file watchers (VS Code does). */
	dynamicWatchers?: boolean;
	/** The extension's global storage folder (initializationOptions.storageDir). */
	storageDir?: string;
}

/** dist/server.js forked as VS Code would (IPC), with a vscode-jsonrpc connection standing in for the client. */
export interface ServerCore {
	child: ChildProcess;
	connection: MessageConnection;
	configuration: Record<string, Record<string, unknown>>;
	registrations: Registration[];
	states: StateChangedParams[];
	requestLog: (RequestLogEntry & { folderUri: string })[];
	browserConsole: BrowserConsoleParams[];
	logMessages: string[];
	diagnostics: { uri: string; diagnostics: { message: string; severity?: number; range: { start: { line: number } } }[] }[];
	/** Resolves with the exit code. */
	exited: Promise<number | null>;
	initialize(): Promise<{ capabilities: Record<string, unknown> }>;
	/** Waits for a state notification for the folder, after the ones already seen. */
	nextState(folderUri: string, state: StateChangedParams['state']): Promise<StateChangedParams>;
	/** shutdown + exit; resolves with the exit code. Kills the process if that fails. */
	close(): Promise<number | null>;
}

export function fileUri(filePath: string): string {
	return pathToFileURL(filePath).href;
}

export function startServerCore(options: ServerCoreOptions = {}): ServerCore {
	const child = fork(path.join(REPO_ROOT, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
	const server: ServerCore = {
		child,
		connection,
		configuration: options.configuration ?? {},
		registrations: [],
		states: [],
		requestLog: [],
		browserConsole: [],
		logMessages: [],
		diagnostics: [],
		exited,
		async initialize() {
			const folders = options.workspaceFolders ?? [];
			const result = await connection.sendRequest('initialize', {
				processId: process.pid,
				rootUri: folders[0] === undefined ? null : fileUri(folders[0]),
				workspaceFolders: folders.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })),
				initializationOptions: { clientDir: path.join(REPO_ROOT, 'dist'), ...(options.storageDir === undefined ? {} : { storageDir: options.storageDir }) },
				capabilities: {
					workspace: {
						configuration: true,
						workspaceFolders: true,
						didChangeWatchedFiles: { dynamicRegistration: options.dynamicWatchers ?? true },
					},
					textDocument: { synchronization: { didSave: true, dynamicRegistration: false } },
				},
			});
			await connection.sendNotification('initialized', {});
			return result as { capabilities: Record<string, unknown> };
		},
		async nextState(folderUri, state) {
			const seen = seenStates.get(folderUri) ?? 0;
			const index = await waitFor(() => {
				const found = server.states.findIndex((params, i) => i >= seen && params.folderUri === folderUri && params.state === state);
				return found === -1 ? undefined : found + 1;
			}, { what: `state ${state} for ${folderUri}`, timeoutMs: 10_000 });
			seenStates.set(folderUri, index);
			return server.states[index - 1]!;
		},
		async close() {
			try {
				await connection.sendRequest('shutdown');
				await connection.sendNotification('exit');
			} catch {
				child.kill('SIGKILL');
			}
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			const code = await exited;
			clearTimeout(timer);
			connection.dispose();
			return code;
		},
	};
	const seenStates = new Map<string, number>();
	connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
		params.items.map((item) => server.configuration[item.scopeUri ?? ''] ?? server.configuration['*'] ?? {}));
	connection.onNotification('liveDevServer/browserConsole', (params: unknown) => void server.browserConsole.push(params as BrowserConsoleParams));
	connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
		server.registrations.push(...params.registrations);
		return null;
	});
	connection.onRequest('window/workDoneProgress/create', () => null);
	connection.onNotification('liveDevServer/stateChanged', (params: StateChangedParams) => {
		server.states.push(params);
	});
	connection.onNotification('liveDevServer/requestLog', (params: { folderUri: string; entries: RequestLogEntry[] }) => {
		for (const entry of params.entries) server.requestLog.push({ ...entry, folderUri: params.folderUri });
	});
	connection.onNotification('textDocument/publishDiagnostics', (params: ServerCore['diagnostics'][number]) => {
		server.diagnostics.push(params);
	});
	connection.onNotification('window/logMessage', (params: { message: string }) => {
		server.logMessages.push(params.message);
	});
	connection.onError(([error]) => server.logMessages.push(`connection error: ${error.message} ${stderr}`));
	connection.listen();
	return server;
}

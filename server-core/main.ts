// server-core's language-server entry (dist/server.js): the extension starts it over IPC with VS Code's own
// runtime; the tests fork it and speak LSP with vscode-jsonrpc. This file only wires the parts together.
import { createConnection, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Emitter } from './disposable';
import { UnsavedDocuments } from './documents/overlayFileSource';
import type { EditorEvent } from './lsp/editorChangeSource';
import { toPublishDiagnostics } from './lsp/diagnostics';
import { syncUnsavedDocuments } from './lsp/documentSync';
import { readInitializationOptions, registerFileWatchers, serverCapabilities, toFileChanges, WorkspaceFolders } from './lsp/lifecycle';
import { registerLiveDevServerMethods } from './lsp/liveDevServerMethods';
import { RequestLogSink } from './lsp/requestLogSink';
import { SessionRegistry } from './lsp/sessionRegistry';
import { BrowserConsoleNotification, RequestLogNotification, StateChangedNotification } from './protocol/index';

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const unsaved = new UnsavedDocuments();
const editorEvents = new Emitter<EditorEvent>();
const requestLog = new RequestLogSink((params) => void connection.sendNotification(RequestLogNotification.type, params));

let registry: SessionRegistry | undefined;
let workspaceFolders = new WorkspaceFolders([]);
let editorWatches = false;
let canPullConfiguration = false;

connection.onInitialize((params) => {
	const { clientDir, storageDir } = readInitializationOptions(params, __dirname);
	workspaceFolders = new WorkspaceFolders(params.workspaceFolders);
	canPullConfiguration = params.capabilities.workspace?.configuration === true;
	registry = new SessionRegistry({
		clientDir,
		...(storageDir === undefined ? {} : { storageDir }),
		documents: unsaved,
		editorEvents,
		fetchConfiguration: (folderUri) => canPullConfiguration
			? connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'liveDevServer' })
			: Promise.resolve(undefined),
		watchedFolders: () => (editorWatches ? workspaceFolders.paths : []),
		onStateChanged: (state) => {
			if (state.state !== 'running') requestLog.flush();
			void connection.sendNotification(StateChangedNotification.type, state);
		},
		onRequestLogged: (folderUri, entry) => requestLog.add(folderUri, entry),
		onConsoleMessage: (folderUri, message) => void connection.sendNotification(BrowserConsoleNotification.type, { folderUri, message }),
		onHandlerDiagnostics: (event) => {
			for (const params of toPublishDiagnostics(event)) void connection.sendDiagnostics(params);
		},
		log: (message) => connection.console.info(message),
		warn: (message) => connection.console.warn(message),
	});
	registerLiveDevServerMethods(connection, registry);
	const capabilities = params.capabilities;
	connection.onInitialized(() => {
		void registerFileWatchers(connection, capabilities).then((registered) => (editorWatches = registered));
		if (capabilities.workspace?.workspaceFolders === true) {
			connection.workspace.onDidChangeWorkspaceFolders((event) => {
				for (const added of event.added) workspaceFolders.add(added.uri);
				for (const removed of event.removed) {
					workspaceFolders.remove(removed.uri);
					void registry?.stop(removed.uri);
				}
			});
		}
	});
	return serverCapabilities();
});

syncUnsavedDocuments(textDocuments, unsaved, editorEvents);
connection.onDidChangeWatchedFiles(({ changes }) => {
	const fileChanges = toFileChanges(changes);
	if (fileChanges.length > 0) editorEvents.fire({ type: 'disk', changes: fileChanges });
});
connection.onDidChangeConfiguration(() => void registry?.reconfigure());
connection.onShutdown(async () => {
	requestLog.flush();
	await registry?.closeAll();
});

// A dev server should outlive a bug in one request: report it and keep serving (the client shows the log).
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${String((reason as Error)?.stack ?? reason)}`));

textDocuments.listen(connection);
connection.listen();

// A small stand-in for the `vscode` module: enough of the API for dist/extension.js and vscode-languageclient
// to run in plain Node, so the real extension bundle, LanguageClient and server process can be tested without
// VS Code. A member the fake does not have reads as `undefined` (what an older VS Code without that API gives)
// and is recorded in `world.missing`: tests assert it stays empty, so a newly used API cannot pass silently.
import * as path from 'node:path';
import {
	CallHierarchyItem, CancellationError, CancellationTokenSource, CodeAction, CodeActionKind, CodeLens, CompletionItem, ConfigurationTarget, Diagnostic,
	Disposable, DocumentLink, EventEmitter, ExtensionMode, InlayHint, LogLevel, MarkdownString, Position, ProgressLocation, Range, RelativePattern,
	StatusBarAlignment, SymbolInformation, TabInputCustom, TabInputNotebook, TabInputText, TabInputTextDiff, TextDocumentSaveReason, ThemeColor,
	TypeHierarchyItem, Uri,
} from './fakeVscodeTypes';

export * from './fakeVscodeTypes';

export interface FakeMessage {
	kind: string;
	message: string;
	items: string[];
	/** Clicks one of its items (or closes it, with none) as a user would, later. */
	answer(item?: string): void;
}

/** The fake's state, for tests to drive and inspect. */
export interface FakeWorld {
	settings: Map<string, unknown>;
	/** Every line written to any log output channel (`channel` is its name). */
	logLines: { level: string; message: string; channel: string }[];
	/** The log level of every log output channel (Output panel → Set Log Level); change it with setLogLevel. */
	logLevel: number;
	setLogLevel(level: number): void;
	statusBarItems: Record<string, unknown>[];
	/** Every notification shown; one not answered through `answers` waits until its `answer()` is called. */
	messages: FakeMessage[];
	/** Answer to the next showErrorMessage/showWarningMessage calls that offer this item. */
	answers: Set<string>;
	opened: string[];
	commands: Map<string, (...args: unknown[]) => unknown>;
	workspaceFolders: { uri: Uri; name: string; index: number }[];
	/** Replaces the workspace folders and fires onDidChangeWorkspaceFolders (as adding/removing a folder does). */
	setWorkspaceFolders(roots: readonly string[]): void;
	/** `env.asExternalUri`: the identity by default; remote setups (Codespaces, code-server) map to another host. */
	asExternalUri(uri: Uri): Promise<Uri>;
	/** `window.activeTextEditor` (only its document's uri is used). */
	activeTextEditor: { document: { uri: Uri } } | undefined;
	/** `workspace.isTrusted`; grantTrust() sets it and fires onDidGrantWorkspaceTrust. */
	isTrusted: boolean;
	grantTrust(): void;
	/** API members read that the fake does not have (`window.showSomething`): tests assert there are none. */
	missing: Set<string>;
	/** Top-level members of `vscode` read so far (`window`, `CompletionItem`...). */
	read: Set<string>;
	onDidOpenTextDocument: EventEmitter<unknown>;
	onDidChangeTextDocument: EventEmitter<unknown>;
	onDidCloseTextDocument: EventEmitter<unknown>;
	onDidSaveTextDocument: EventEmitter<unknown>;
	onDidChangeConfiguration: EventEmitter<{ affectsConfiguration(section: string): boolean }>;
	textDocuments: unknown[];
}

/** Records reads of members the fake lacks (`window.foo`), instead of inventing a no-op for them. */
function strict<T extends object>(target: T, name: string, missing: Set<string>, read?: Set<string>): T {
	return new Proxy(target, {
		get: (object, property) => {
			if (typeof property === 'string') read?.add(property);
			if (property in object || typeof property === 'symbol' || property === 'then' || property === 'toJSON') return (object as Record<string | symbol, unknown>)[property];
			missing.add(`${name}.${property}`);
			return undefined;
		},
	});
}

export function createFakeVscode(workspaceRoot: string): { vscode: Record<string, unknown>; world: FakeWorld } {
	const missing = new Set<string>();
	const onDidChangeLogLevel = new EventEmitter<number>();
	const onDidChangeWorkspaceFolders = new EventEmitter<{ added: unknown[]; removed: unknown[] }>();
	const onDidGrantWorkspaceTrust = new EventEmitter<void>();
	const folder = (root: string, index: number) => ({ uri: Uri.file(root), name: path.basename(root), index });
	const world: FakeWorld = {
		settings: new Map(),
		logLines: [],
		logLevel: LogLevel.Info,
		setLogLevel(level) {
			world.logLevel = level;
			onDidChangeLogLevel.fire(level);
		},
		statusBarItems: [],
		messages: [],
		answers: new Set(),
		opened: [],
		commands: new Map(),
		workspaceFolders: [folder(workspaceRoot, 0)],
		setWorkspaceFolders(roots) {
			const before = world.workspaceFolders;
			world.workspaceFolders = roots.map(folder);
			const has = (list: typeof before, entry: (typeof before)[number]) => list.some((other) => other.uri.toString() === entry.uri.toString());
			onDidChangeWorkspaceFolders.fire({
				added: world.workspaceFolders.filter((entry) => !has(before, entry)),
				removed: before.filter((entry) => !has(world.workspaceFolders, entry)),
			});
		},
		asExternalUri: async (uri) => uri,
		activeTextEditor: undefined,
		isTrusted: true,
		grantTrust() {
			world.isTrusted = true;
			onDidGrantWorkspaceTrust.fire();
		},
		missing,
		read: new Set(),
		onDidOpenTextDocument: new EventEmitter(),
		onDidChangeTextDocument: new EventEmitter(),
		onDidCloseTextDocument: new EventEmitter(),
		onDidSaveTextDocument: new EventEmitter(),
		onDidChangeConfiguration: new EventEmitter(),
		textDocuments: [],
	};
	const api = <T extends object>(name: string, target: T) => strict(target, name, missing);

	const configuration = (section?: string) => {
		const full = (key: string) => (section ? `${section}.${key}` : key);
		const get = (key: string, fallback?: unknown) => {
			const name = full(key);
			if (world.settings.has(name)) return world.settings.get(name);
			const nested: Record<string, unknown> = {};
			let found = false;
			for (const [setting, value] of world.settings) {
				if (!setting.startsWith(`${name}.`)) continue;
				found = true;
				let cursor = nested;
				const parts = setting.slice(name.length + 1).split('.');
				for (const part of parts.slice(0, -1)) cursor = (cursor[part] ??= {}) as Record<string, unknown>;
				cursor[parts.at(-1)!] = value;
			}
			return found ? nested : fallback;
		};
		return api('WorkspaceConfiguration', { get, has: (key: string) => get(key) !== undefined, inspect: () => undefined, update: async () => undefined });
	};

	const showMessage = (kind: string) => (message: string, ...items: unknown[]) => {
		const labels = items.filter((item): item is string => typeof item === 'string');
		return new Promise<string | undefined>((resolve) => {
			world.messages.push({ kind, message, items: labels, answer: resolve });
			const automatic = labels.find((label) => world.answers.has(label));
			if (automatic !== undefined) resolve(automatic);
		});
	};

	const logChannel = (name: string) => {
		const log = (level: string) => (message: string) => world.logLines.push({ level, message, channel: name });
		return api(`LogOutputChannel(${name})`, {
			name,
			get logLevel() {
				return world.logLevel;
			},
			onDidChangeLogLevel: onDidChangeLogLevel.event,
			trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: (message: string | Error) => log('error')(String(message)),
			append: log('append'), appendLine: log('info'), replace: () => undefined, clear: () => undefined,
			show: () => undefined, hide: () => undefined, dispose: () => undefined,
		});
	};

	const vscode: Record<string, unknown> = {
		// TypeScript's __importStar (in vscode-languageclient) then uses this object itself, so its reads are recorded too.
		__esModule: true,
		version: '1.91.0',
		CompletionItem, CodeLens, CodeAction, Diagnostic, DocumentLink, InlayHint, SymbolInformation, CallHierarchyItem, TypeHierarchyItem, CodeActionKind,
		EventEmitter, Disposable, Uri, Position, Range, ThemeColor, MarkdownString, CancellationError, CancellationTokenSource, RelativePattern,
		TabInputText, TabInputTextDiff, TabInputNotebook, TabInputCustom,
		StatusBarAlignment, LogLevel, ExtensionMode, ConfigurationTarget, ProgressLocation, TextDocumentSaveReason,
		window: api('window', {
			createOutputChannel: (name: string) => logChannel(name),
			createStatusBarItem: (id: string) => {
				const item: Record<string, unknown> = { id, text: '', visible: false, show: () => (item.visible = true), hide: () => (item.visible = false), dispose: () => undefined };
				world.statusBarItems.push(item);
				return item;
			},
			showErrorMessage: showMessage('error'),
			showWarningMessage: showMessage('warning'),
			showInformationMessage: showMessage('info'),
			showQuickPick: async (items: unknown[]) => items[0],
			get activeTextEditor() {
				return world.activeTextEditor;
			},
			visibleTextEditors: [],
			onDidChangeActiveTextEditor: new EventEmitter().event,
			onDidChangeVisibleTextEditors: new EventEmitter().event,
			tabGroups: api('window.tabGroups', { all: [], onDidChangeTabs: new EventEmitter().event, onDidChangeTabGroups: new EventEmitter().event }),
			withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report() {} }, new CancellationTokenSource().token),
		}),
		workspace: api('workspace', {
			get workspaceFolders() {
				return world.workspaceFolders;
			},
			get textDocuments() {
				return world.textDocuments;
			},
			notebookDocuments: [],
			get isTrusted() {
				return world.isTrusted;
			},
			getWorkspaceFolder: (uri: Uri) => world.workspaceFolders.find((entry) => !path.relative(entry.uri.fsPath, uri.fsPath).startsWith('..')),
			getConfiguration: (section?: string) => configuration(section),
			asRelativePath: (value: Uri | string) => (typeof value === 'string' ? value : value.fsPath),
			onDidOpenTextDocument: world.onDidOpenTextDocument.event,
			onDidChangeTextDocument: world.onDidChangeTextDocument.event,
			onDidCloseTextDocument: world.onDidCloseTextDocument.event,
			onDidSaveTextDocument: world.onDidSaveTextDocument.event,
			onDidChangeConfiguration: world.onDidChangeConfiguration.event,
			onDidGrantWorkspaceTrust: onDidGrantWorkspaceTrust.event,
			onDidChangeWorkspaceFolders: onDidChangeWorkspaceFolders.event,
			// The LanguageClient subscribes to these; nothing in these tests saves through VS Code or moves files.
			onWillSaveTextDocument: new EventEmitter().event,
			onDidCreateFiles: new EventEmitter().event,
			onDidRenameFiles: new EventEmitter().event,
			onDidDeleteFiles: new EventEmitter().event,
			onWillCreateFiles: new EventEmitter().event,
			onWillRenameFiles: new EventEmitter().event,
			onWillDeleteFiles: new EventEmitter().event,
			createFileSystemWatcher: () => api('FileSystemWatcher', {
				onDidCreate: new EventEmitter().event, onDidChange: new EventEmitter().event, onDidDelete: new EventEmitter().event, dispose: () => undefined,
			}),
		}),
		languages: api('languages', {
			match: (_selector: unknown, document: { uri: Uri }) => (document.uri.scheme === 'file' ? 10 : 0),
			createDiagnosticCollection: () => api('DiagnosticCollection', { set() {}, delete() {}, clear() {}, dispose() {} }),
		}),
		commands: api('commands', {
			registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
				world.commands.set(id, run);
				return new Disposable(() => world.commands.delete(id));
			},
			executeCommand: async (id: string, ...args: unknown[]) => world.commands.get(id)?.(...args),
		}),
		env: api('env', {
			appName: 'Fake VS Code', language: 'en', machineId: 'test', sessionId: 'test', uriScheme: 'vscode',
			asExternalUri: (uri: Uri) => world.asExternalUri(uri),
			openExternal: async (uri: Uri) => {
				world.opened.push(uri.toString(true));
				return true;
			},
		}),
		extensions: api('extensions', { all: [], getExtension: () => undefined }),
	};
	return { vscode: strict(vscode, 'vscode', missing, world.read), world };
}

// The values of the fake `vscode` module (fakeVscode.ts): events, URIs, ranges, the enums and the base classes
// vscode-languageclient needs when it loads. Only what the extension and the LanguageClient use.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
	private readonly _listeners = new Set<Listener<T>>();
	readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: { dispose(): unknown }[]) => {
		const bound: Listener<T> = (value) => listener.call(thisArg, value);
		this._listeners.add(bound);
		const disposable = new Disposable(() => this._listeners.delete(bound));
		disposables?.push(disposable);
		return disposable;
	};
	fire(value: T): void {
		for (const listener of [...this._listeners]) listener(value);
	}
	dispose(): void {
		this._listeners.clear();
	}
}

export class Disposable {
	static from(...items: { dispose(): unknown }[]): Disposable {
		return new Disposable(() => items.forEach((item) => item.dispose()));
	}
	constructor(private readonly _onDispose: () => unknown) {}
	dispose(): void {
		this._onDispose();
	}
}

export class Uri {
	private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query = '', readonly fragment = '') {}
	static parse(value: string): Uri {
		const url = new URL(value);
		return new Uri(url.protocol.slice(0, -1), url.host, decodeURIComponent(url.pathname), url.search.slice(1), url.hash.slice(1));
	}
	static file(filePath: string): Uri {
		return new Uri('file', '', pathToFileURL(filePath).pathname.split('/').map(decodeURIComponent).join('/'));
	}
	static joinPath(base: Uri, ...segments: string[]): Uri {
		return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments));
	}
	get fsPath(): string {
		return fileURLToPath(`file://${this.path.split('/').map(encodeURIComponent).join('/')}`);
	}
	with(change: { path?: string }): Uri {
		return new Uri(this.scheme, this.authority, change.path ?? this.path, this.query, this.fragment);
	}
	toString(skipEncoding = false): string {
		const encodedPath = skipEncoding ? this.path : this.path.split('/').map(encodeURIComponent).join('/');
		return `${this.scheme}://${this.authority}${encodedPath}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
	}
	toJSON(): unknown {
		return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
	}
}

export class Position {
	constructor(readonly line: number, readonly character: number) {}
}
export class Range {
	readonly start: Position;
	readonly end: Position;
	constructor(startLine: number | Position, startCharacter: number | Position, endLine?: number, endCharacter?: number) {
		this.start = typeof startLine === 'number' ? new Position(startLine, startCharacter as number) : startLine;
		this.end = typeof startLine === 'number' ? new Position(endLine!, endCharacter!) : (startCharacter as Position);
	}
}
export class ThemeColor {
	constructor(readonly id: string) {}
}
export class MarkdownString {
	value = '';
	constructor(value = '', readonly supportThemeIcons = false) {
		this.value = value;
	}
	appendMarkdown(value: string): this {
		this.value += value;
		return this;
	}
	appendText(value: string): this {
		this.value += value.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
		return this;
	}
}
export class CancellationError extends Error {}
export class CancellationTokenSource {
	private readonly _emitter = new EventEmitter<void>();
	token = { isCancellationRequested: false, onCancellationRequested: this._emitter.event };
	cancel(): void {
		this.token.isCancellationRequested = true;
		this._emitter.fire();
	}
	dispose(): void {}
}
export class RelativePattern {
	constructor(readonly base: unknown, readonly pattern: string) {}
}
/** Base classes vscode-languageclient extends when it loads (never constructed by these tests). */
export class CompletionItem {}
export class CodeLens {}
export class CodeAction {}
export class Diagnostic {}
export class DocumentLink {}
export class InlayHint {}
export class SymbolInformation {}
export class CallHierarchyItem {}
export class TypeHierarchyItem {}
/** The kinds vscode-languageclient maps when it creates its protocol converter. */
export const CodeActionKind = Object.fromEntries(
	['Empty', 'QuickFix', 'Refactor', 'RefactorExtract', 'RefactorInline', 'RefactorRewrite', 'Source', 'SourceOrganizeImports', 'SourceFixAll', 'Notebook']
		.map((name) => [name, { value: name === 'Empty' ? '' : name }]),
);
export class TabInputText {}
export class TabInputTextDiff {}
export class TabInputNotebook {}
export class TabInputCustom {}
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };
export const ExtensionMode = { Production: 1, Development: 2, Test: 3 };
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export const TextDocumentSaveReason = { Manual: 1, AfterDelay: 2, FocusOut: 3 };


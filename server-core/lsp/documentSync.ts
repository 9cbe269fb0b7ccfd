import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Disposable, Emitter } from '../disposable';
import type { UnsavedDocuments } from '../documents/overlayFileSource';
import type { EditorEvent } from './editorChangeSource';

/** The absolute path of a `file:` URI, or undefined for other schemes (untitled buffers, git diffs...). */
export function filePathOf(uri: string): string | undefined {
	if (!uri.startsWith('file:')) return undefined;
	try {
		return fileURLToPath(uri);
	} catch {
		return undefined;
	}
}

/**
 * Keeps the overlay of unsaved buffers in step with LSP text document sync and turns the sync into editor
 * events: keystrokes (`edited`), saves, and opening or closing a buffer that differs from the disk.
 */
export function syncUnsavedDocuments(documents: TextDocuments<TextDocument>, unsaved: UnsavedDocuments, events: Emitter<EditorEvent>): Disposable[] {
	// TextDocuments fires onDidChangeContent right after onDidOpen for the same text: that is not an edit.
	const justOpened = new Set<string>();
	return [
		documents.onDidOpen(({ document }) => {
			const filePath = filePathOf(document.uri);
			if (filePath === undefined) return;
			justOpened.add(document.uri);
			unsaved.set(filePath, document);
			// A buffer restored dirty (hot exit) changes what is served; a clean one does not.
			void differsFromDisk(filePath, unsaved.bytes(filePath)).then((differs) => {
				if (differs) events.fire({ type: 'overlayChanged', path: filePath });
			});
		}),
		documents.onDidChangeContent(({ document }) => {
			const filePath = filePathOf(document.uri);
			if (filePath === undefined || justOpened.delete(document.uri)) return;
			unsaved.set(filePath, document);
			events.fire({ type: 'edited', path: filePath });
		}),
		documents.onDidSave(({ document }) => {
			const filePath = filePathOf(document.uri);
			if (filePath !== undefined) events.fire({ type: 'saved', path: filePath });
		}),
		documents.onDidClose(({ document }) => {
			const filePath = filePathOf(document.uri);
			justOpened.delete(document.uri);
			if (filePath === undefined) return;
			const served = unsaved.bytes(filePath);
			unsaved.delete(filePath);
			// Closing a dirty buffer without saving ("Don't Save") puts the disk version back on the page.
			void differsFromDisk(filePath, served).then((differs) => {
				if (differs) events.fire({ type: 'overlayChanged', path: filePath });
			});
		}),
	];
}

async function differsFromDisk(filePath: string, bytes: Buffer | undefined): Promise<boolean> {
	if (bytes === undefined) return false;
	try {
		return !(await fs.promises.readFile(filePath)).equals(bytes);
	} catch {
		return true;
	}
}

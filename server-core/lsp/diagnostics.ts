import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { HandlerDiagnostic } from '../handlers/compile';
import type { HandlerDiagnosticsEvent } from '../handlers/handlerHost';

/** Handler compile messages → textDocument/publishDiagnostics, one per file (an empty list clears a file). */
export function toPublishDiagnostics(event: HandlerDiagnosticsEvent): PublishDiagnosticsParams[] {
	return event.files
		.filter(({ file }) => file !== '')
		.map(({ file, diagnostics }) => ({ uri: pathToFileURL(file).href, diagnostics: diagnostics.map(toDiagnostic) }));
}

function toDiagnostic(message: HandlerDiagnostic): Diagnostic {
	const line = Math.max(0, message.line - 1);
	return {
		range: { start: { line, character: message.column }, end: { line, character: message.column + Math.max(message.length, 0) } },
		severity: message.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
		source: 'Live Dev Server (esbuild)',
		message: message.message,
	};
}

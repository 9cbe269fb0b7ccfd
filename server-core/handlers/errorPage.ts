import * as fs from 'node:fs';
import * as path from 'node:path';
import { statusPhrase } from '../http/errorPage';
import { escapeHtml } from '../http/htmlEscape';
import type { HandlerDiagnostic } from './compile';

export interface HandlerErrorDetails {
	status: number;
	/** One line, e.g. "TypeError: x is undefined". */
	message: string;
	/** What happened and what to do next. */
	explain: string;
	/** Route pattern and handler file (absolute), when known. */
	route?: string;
	file?: string;
	/** Source-mapped stack of a runtime error. */
	stack?: string;
	/** esbuild errors of a failed compile. */
	diagnostics?: readonly HandlerDiagnostic[];
	root: string;
}

const CONTEXT_LINES = 3;

/**
 * The development error page for handlers: unlike the static server's pages, it shows the stack, the source
 * around the failing line and the compiler's diagnostics, because that is what a developer needs. Every piece of
 * text is HTML-escaped. Sent through the HTML transform, so the live-reload script reloads it once fixed.
 */
export function renderHandlerErrorPage(details: HandlerErrorDetails): string {
	const phrase = escapeHtml(statusPhrase(details.status));
	const sections: string[] = [];
	if (details.diagnostics && details.diagnostics.length > 0) {
		sections.push('<h2>Compile errors</h2>', ...details.diagnostics.map((diagnostic) => renderDiagnostic(diagnostic, details.root)));
	}
	if (details.stack) {
		const frame = firstSourceFrame(details.stack, details.root);
		if (frame) sections.push(`<h2>${escapeHtml(relative(frame.file, details.root))}:${frame.line}</h2>`, renderSourceExcerpt(frame.file, frame.line, frame.column));
		sections.push('<h2>Stack</h2>', `<pre class="stack">${escapeHtml(shortenPaths(details.stack, details.root))}</pre>`);
	}
	const where = [
		details.route ? `<dt>Route</dt><dd><code>${escapeHtml(details.route)}</code></dd>` : '',
		details.file ? `<dt>File</dt><dd><code>${escapeHtml(relative(details.file, details.root))}</code></dd>` : '',
	].join('');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${details.status} ${phrase}: handler error</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; background: Canvas; color: CanvasText; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h1 .code { color: #c0392b; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; opacity: .8; }
.message { font-size: 1.1rem; font-family: ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dt { opacity: .7; } dd { margin: 0; }
pre { padding: .75rem 1rem; border-radius: .5rem; overflow-x: auto; background: color-mix(in srgb, CanvasText 7%, transparent); font-size: .9rem; }
.hit { color: #c0392b; font-weight: bold; }
footer { margin-top: 2rem; font-size: .8rem; opacity: .6; }
</style>
</head>
<body>
<main>
<h1><span class="code">${details.status}</span> ${phrase}</h1>
<p class="message">${escapeHtml(details.message)}</p>
<p>${escapeHtml(details.explain)}</p>
<dl>${where}</dl>
${sections.join('\n')}
<footer>Live Dev Server: this page reloads by itself once the handler is fixed.</footer>
</main>
</body>
</html>
`;
}

function renderDiagnostic(diagnostic: HandlerDiagnostic, root: string): string {
	const location = diagnostic.file ? `${relative(diagnostic.file, root)}:${diagnostic.line}:${diagnostic.column + 1}` : '';
	let frame = '';
	if (diagnostic.lineText) {
		const caret = ' '.repeat(diagnostic.column) + '^'.repeat(Math.max(1, diagnostic.length));
		frame = `\n${String(diagnostic.line).padStart(5)} | ${diagnostic.lineText}\n      | ${caret}`;
	}
	return `<pre><span class="hit">${escapeHtml(diagnostic.severity)}</span> ${escapeHtml(location)}\n${escapeHtml(diagnostic.message)}${escapeHtml(frame)}</pre>`;
}

/** The first stack frame in a file under the served root (the user's code, after source mapping). */
export function firstSourceFrame(stack: string, root: string): { file: string; line: number; column: number } | undefined {
	for (const match of stack.matchAll(/(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
		const file = match[1]!.startsWith('file://') ? decodeURIComponent(new URL(match[1]!).pathname) : match[1]!;
		if (path.isAbsolute(file) && !path.relative(root, file).startsWith('..')) return { file, line: Number(match[2]), column: Number(match[3]) };
	}
	return undefined;
}

function renderSourceExcerpt(file: string, line: number, column: number): string {
	let lines: string[];
	try {
		lines = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
	} catch {
		return '';
	}
	const first = Math.max(1, line - CONTEXT_LINES);
	const last = Math.min(lines.length, line + CONTEXT_LINES);
	const out: string[] = [];
	for (let number = first; number <= last; number++) {
		const text = `${number === line ? '>' : ' '}${String(number).padStart(5)} | ${lines[number - 1] ?? ''}`;
		out.push(number === line ? `<span class="hit">${escapeHtml(text)}</span>` : escapeHtml(text));
		if (number === line) out.push(escapeHtml(`       | ${' '.repeat(Math.max(0, column - 1))}^`));
	}
	return `<pre>${out.join('\n')}</pre>`;
}

function relative(file: string, root: string): string {
	const relativePath = path.relative(root, file);
	return relativePath.startsWith('..') || path.isAbsolute(relativePath) ? file : relativePath.split(path.sep).join('/');
}

/** Stack lines name files relative to the served root: shorter, and the page does not reveal the disk layout. */
function shortenPaths(stack: string, root: string): string {
	return stack.split(root + path.sep).join('');
}

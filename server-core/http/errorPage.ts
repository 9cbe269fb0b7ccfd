import { STATUS_CODES } from 'node:http';
import { escapeHtml } from './htmlEscape';

/** Longer explanations per status, in the spirit of http.server's `responses` table. */
const EXPLANATIONS: Record<number, string> = {
	400: 'Bad request syntax or unsupported method.',
	403: 'The server understood the request but refuses to serve it.',
	404: 'Nothing matches the given URL.',
	405: 'The method is not allowed for this resource.',
	408: 'The client took too long to send its request.',
	412: 'A precondition in the request headers is false.',
	413: 'The request body is larger than the server accepts.',
	416: 'The requested byte range lies outside the file.',
	431: 'The request header fields are too large.',
	500: 'The server failed while answering this request.',
	501: 'The server does not support this method.',
	502: 'The upstream server gave an invalid response or could not be reached.',
	503: 'The server is not ready to answer this request.',
	504: 'The upstream did not answer in time.',
};

export interface ErrorDetails {
	code: number;
	/** Specific to this request, e.g. "File not found". Defaults to the status phrase. */
	message?: string;
	/** Defaults to the general meaning of the status code. */
	explain?: string;
}

export function statusPhrase(code: number): string {
	return STATUS_CODES[code] ?? 'Unknown Status';
}

/**
 * One format for every error: the code, a message and an explanation (the fields of http.server's
 * `error_message_format`), all escaped, with a little CSS. Never a stack trace.
 */
export function renderErrorPage({ code, message, explain }: ErrorDetails): string {
	const phrase = escapeHtml(statusPhrase(code));
	const text = escapeHtml(message ?? statusPhrase(code));
	const explanation = escapeHtml(explain ?? EXPLANATIONS[code] ?? statusPhrase(code));
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${code} ${phrase}</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: grid; place-items: center; min-height: 100vh; background: Canvas; color: CanvasText; }
main { max-width: 40rem; padding: 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
.code { color: #c0392b; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; margin: 0; }
dt { opacity: .7; }
dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 2rem; font-size: .8rem; opacity: .6; }
</style>
</head>
<body>
<main>
<h1><span class="code">${code}</span> ${phrase}</h1>
<dl>
<dt>Error code</dt><dd>${code}</dd>
<dt>Message</dt><dd>${text}</dd>
<dt>Explanation</dt><dd>${explanation}</dd>
</dl>
<footer>Live Dev Server</footer>
</main>
</body>
</html>
`;
}

/**
 * Inserts a tag into an HTML document: right after `<head>`, else after `<body>`, else after `<html>`, else after
 * the doctype, else at the end. Works on bytes (any ASCII-compatible charset survives untouched); tags inside
 * comments are skipped. UTF-16 documents are returned as they are (an ASCII tag would corrupt them).
 */
export function injectIntoHtml(html: Buffer, tag: string, alreadyInjectedMarker: string): Buffer {
	if (isUtf16(html)) return html;
	// latin1 maps every byte to one char, so string offsets are byte offsets.
	const text = html.toString('latin1');
	if (text.includes(alreadyInjectedMarker)) return html;
	const comments = commentRanges(text);
	const insertAt =
		endOfOpeningTag(text, /<head(?=[\s>/])[^>]*>/gi, comments) ??
		endOfOpeningTag(text, /<body(?=[\s>/])[^>]*>/gi, comments) ??
		endOfOpeningTag(text, /<html(?=[\s>/])[^>]*>/gi, comments) ??
		endOfOpeningTag(text, /<!doctype[^>]*>/gi, comments) ??
		html.length;
	const tagBytes = Buffer.from(tag, 'latin1');
	return Buffer.concat([html.subarray(0, insertAt), tagBytes, html.subarray(insertAt)]);
}

function isUtf16(html: Buffer): boolean {
	return html.length >= 2 && ((html[0] === 0xff && html[1] === 0xfe) || (html[0] === 0xfe && html[1] === 0xff));
}

function commentRanges(text: string): [number, number][] {
	const ranges: [number, number][] = [];
	let start = text.indexOf('<!--');
	while (start !== -1) {
		const end = text.indexOf('-->', start + 4);
		const stop = end === -1 ? text.length : end + 3;
		ranges.push([start, stop]);
		start = text.indexOf('<!--', stop);
	}
	return ranges;
}

function endOfOpeningTag(text: string, pattern: RegExp, comments: readonly [number, number][]): number | undefined {
	pattern.lastIndex = 0;
	for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
		const index = match.index;
		if (!comments.some(([from, to]) => index >= from && index < to)) return index + match[0].length;
	}
	return undefined;
}

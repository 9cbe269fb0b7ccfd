/**
 * Inserts a tag into an HTML document: right after `<head>`, else after `<body>`, else after `<html>`, else after
 * the doctype, else at the end. Works on bytes (any ASCII-compatible charset survives untouched). UTF-16 documents
 * are returned as they are (an ASCII tag would corrupt them).
 */
export function injectIntoHtml(html: Buffer, tag: string, alreadyInjectedMarker: string): Buffer {
	const at = planInjection(html, alreadyInjectedMarker, true);
	if (at === 'none' || at === undefined) return html;
	const insertAt = at === 'end' ? html.length : at;
	return Buffer.concat([html.subarray(0, insertAt), Buffer.from(tag, 'latin1'), html.subarray(insertAt)]);
}

/**
 * Where the tag goes in `html`: a byte offset, `'end'` (append), or `'none'` (UTF-16, or the marker is already
 * there). When `complete` is false, `html` is only the start of the document (a file streamed in chunks), and
 * undefined means that the scan reached its end before it could decide: read more.
 *
 * The scan reads the document's preamble as a browser does, so the place is never inside text: it skips
 * whitespace, comments, the doctype, an XML declaration, end tags and the elements a head may hold (their
 * `<script>`/`<style>`/`<title>`/`<template>` text whole), and stops at the first real content (text or any
 * other element), so a `<body>` written later in a page, in text or in a script string, is never taken.
 */
export function planInjection(html: Buffer, alreadyInjectedMarker: string, complete: boolean): number | 'end' | 'none' | undefined {
	if (isUtf16(html)) return 'none';
	// latin1 maps every byte to one char, so string offsets are byte offsets.
	const text = html.toString('latin1');
	if (text.includes(alreadyInjectedMarker)) return 'none';
	const found = scanPreamble(text);
	if (found.kind === 'head' || found.kind === 'body') return found.at;
	if (found.kind === 'more' && !complete) return undefined;
	// No head or body before the content: after <html>, else the doctype, else at the end.
	return found.htmlEnd ?? found.doctypeEnd ?? 'end';
}

type ScanResult =
	| { kind: 'head' | 'body'; at: number; htmlEnd?: undefined; doctypeEnd?: undefined }
	/** Real content was reached (`content`), or the text ended mid-preamble (`more`). */
	| { kind: 'content' | 'more'; at?: undefined; htmlEnd: number | undefined; doctypeEnd: number | undefined };

/** Elements that may come before `<body>` without being content; their text (if raw) is skipped whole. */
const HEAD_ELEMENTS = new Set(['meta', 'link', 'base', 'title', 'style', 'script', 'noscript', 'template']);
const RAW_TEXT_ELEMENTS = new Set(['title', 'style', 'script', 'noscript', 'template']);

function scanPreamble(text: string): ScanResult {
	let htmlEnd: number | undefined;
	let doctypeEnd: number | undefined;
	const more = (): ScanResult => ({ kind: 'more', htmlEnd, doctypeEnd });
	const content = (): ScanResult => ({ kind: 'content', htmlEnd, doctypeEnd });
	let index = text.startsWith('\xef\xbb\xbf') ? 3 : 0; // UTF-8 byte order mark
	for (;;) {
		while (index < text.length && isSpace(text.charCodeAt(index))) index++;
		if (index >= text.length) return more();
		if (text[index] !== '<') return content();
		if (text.startsWith('<!--', index)) {
			const end = commentEnd(text, index);
			if (end === undefined) return more();
			index = end;
			continue;
		}
		if (text[index + 1] === '!' || text[index + 1] === '?' || text[index + 1] === '/') {
			// Doctype, XML declaration, bogus comment or end tag: up to the next '>'.
			const close = text.indexOf('>', index);
			if (close === -1) return more();
			if (/^<!doctype/i.test(text.slice(index, index + 9))) doctypeEnd ??= close + 1;
			index = close + 1;
			continue;
		}
		const name = /^<([a-zA-Z][^\s/>]*)/.exec(text.slice(index, index + 64))?.[1]?.toLowerCase();
		if (name === undefined) return index + 1 >= text.length ? more() : content();
		const end = startTagEnd(text, index + 1 + name.length);
		if (end === undefined) return more();
		if (name === 'head' || name === 'body') return { kind: name, at: end };
		if (name === 'html') {
			htmlEnd ??= end;
			index = end;
			continue;
		}
		if (!HEAD_ELEMENTS.has(name)) return content();
		index = end;
		if (RAW_TEXT_ELEMENTS.has(name)) {
			const closed = rawTextEnd(text, index, name);
			if (closed === undefined) return more();
			index = closed;
		}
	}
}

/** The offset after `-->` of the comment at `start` (`<!-->` and `<!--->` are empty comments), or undefined. */
function commentEnd(text: string, start: number): number | undefined {
	if (text.startsWith('>', start + 4)) return start + 5;
	if (text.startsWith('->', start + 4)) return start + 6;
	const end = text.indexOf('-->', start + 4);
	return end === -1 ? undefined : end + 3;
}

/** The offset after the `>` that ends a start tag, with quoted attribute values (which may hold `>`) skipped. */
function startTagEnd(text: string, from: number): number | undefined {
	for (let index = from; index < text.length; index++) {
		const char = text[index];
		if (char === '>') return index + 1;
		if (char !== '=') continue;
		let value = index + 1;
		while (value < text.length && isSpace(text.charCodeAt(value))) value++;
		const quote = text[value];
		if (quote !== '"' && quote !== "'") continue;
		const close = text.indexOf(quote, value + 1);
		if (close === -1) return undefined;
		index = close;
	}
	return undefined;
}

/** The offset after `</name>` that ends a raw-text element's content starting at `from`, or undefined. */
function rawTextEnd(text: string, from: number, name: string): number | undefined {
	const closing = new RegExp(`</${name}[\\s/>]`, 'gi');
	closing.lastIndex = from;
	const match = closing.exec(text);
	if (match === null) return undefined;
	const close = text.indexOf('>', match.index);
	return close === -1 ? undefined : close + 1;
}

function isSpace(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isUtf16(html: Buffer): boolean {
	return html.length >= 2 && ((html[0] === 0xff && html[1] === 0xfe) || (html[0] === 0xfe && html[1] === 0xff));
}

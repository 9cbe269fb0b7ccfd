import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestSource } from '../protocol/requestLog';

/**
 * What an HTML page is, for live reload: `file` is a file served at its own URL, which only changes to it (or to
 * what it loads) can affect; `generated` is anything else (a listing, an error page, the SPA fallback, a mounted
 * file, handler, proxy or CGI output), which may depend on any document.
 */
export type PageKind = 'file' | 'generated';

/** Rewrites generated or served HTML (the live-reload script is injected this way). `id` changes when the output would. */
export interface HtmlTransform {
	readonly id: string;
	/**
	 * What of the page's URL path and kind the output depends on (the live-reload script's relative URL depends on
	 * its depth); cached bodies are reused only for the same variant. Omitted: the output depends on the HTML only.
	 */
	variant?(pathname: string, kind?: PageKind): string;
	/** `pathname`: the request's path, still percent-encoded. `kind` defaults to `generated`. */
	apply(html: Buffer, pathname: string, kind?: PageKind): Buffer;
	/**
	 * When `apply` only inserts a tag (see injectIntoHtml): that tag and the marker that says it is already there, so
	 * that files too large to buffer can be streamed with it. Absent: such files are sent without the transform.
	 */
	insertion?(pathname: string, kind?: PageKind): HtmlInsertion;
}

export interface HtmlInsertion {
	tag: Buffer;
	marker: string;
}

/** One request and its response, plus what the request log needs to know about how it was answered. */
export interface Exchange {
	readonly req: IncomingMessage;
	readonly res: ServerResponse;
	/** Path of the request target, still percent-encoded (as seen by the part answering: see viewExchange). */
	readonly pathname: string;
	/**
	 * The path the browser asked for, still percent-encoded. Views for mounts, the SPA fallback and CGI redirects
	 * change `pathname` but never this: whatever is relative to the page (the live-reload script) uses it.
	 */
	readonly urlPath: string;
	/** Query string including the leading `?`, or empty. */
	readonly search: string;
	readonly htmlTransform: HtmlTransform | undefined;
	source: RequestSource;
	/** A server-side failure worth showing in the log (never sent to the client as a stack). */
	error?: string;
}

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*(\/[^?#]*)?(\?[^#]*)?$/i;

export type RequestTarget = { pathname: string; search: string };

/**
 * Splits a request target into path and query. Accepts origin-form (`/a?b`) and absolute-form
 * (`http://host/a`, sent to proxies); anything else (including `*`) is not a path we serve.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
	if (target === undefined || target.length === 0) return undefined;
	if (target.charCodeAt(0) === 47 /* '/' */) {
		const query = target.indexOf('?');
		return query === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, query), search: target.slice(query) };
	}
	// Absolute-form: keep the path raw (URL parsing would resolve "%2e%2e" segments before our checks see them).
	const absolute = ABSOLUTE_FORM.exec(target);
	if (absolute) return { pathname: absolute[1] || '/', search: absolute[2] ?? '' };
	return undefined;
}

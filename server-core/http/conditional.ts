import type { IncomingHttpHeaders } from 'node:http';

/** What identifies one version of a representation. */
export interface Validators {
	/** A quoted entity tag, strong (`"x"`) or weak (`W/"x"`). */
	etag: string;
	/** Undefined when the representation has no meaningful date (a listing): date conditions are then ignored. */
	lastModifiedMs: number | undefined;
}

export type PreconditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

/** Evaluates the conditional request headers in the order RFC 9110 §13.2.2 prescribes. */
export function evaluatePreconditions(method: string, headers: IncomingHttpHeaders, validators: Validators): PreconditionOutcome {
	const isRead = method === 'GET' || method === 'HEAD';
	const ifMatch = headers['if-match'];
	if (ifMatch !== undefined) {
		if (!matchesAny(ifMatch, validators.etag, strongEquals)) return 'precondition-failed';
	} else {
		const unmodifiedSince = parseHttpDate(headers['if-unmodified-since']);
		if (unmodifiedSince !== undefined && validators.lastModifiedMs !== undefined && toSeconds(validators.lastModifiedMs) > unmodifiedSince) {
			return 'precondition-failed';
		}
	}

	const ifNoneMatch = headers['if-none-match'];
	if (ifNoneMatch !== undefined) {
		if (matchesAny(ifNoneMatch, validators.etag, weakEquals)) return isRead ? 'not-modified' : 'precondition-failed';
	} else if (isRead) {
		// If-Modified-Since only counts when If-None-Match is absent: a one-second clock is too coarse for edits.
		const modifiedSince = parseHttpDate(headers['if-modified-since']);
		if (modifiedSince !== undefined && validators.lastModifiedMs !== undefined && toSeconds(validators.lastModifiedMs) <= modifiedSince) return 'not-modified';
	}
	return 'proceed';
}

/** If-Range (RFC 9110 §13.1.5): the range applies only when the validator is a strong match of the current version. */
export function isIfRangeFresh(ifRange: string | undefined, validators: Validators): boolean {
	if (ifRange === undefined) return true;
	const value = ifRange.trim();
	if (value.startsWith('"') || value.startsWith('W/')) return strongEquals(value, validators.etag);
	const date = parseHttpDate(value);
	return date !== undefined && validators.lastModifiedMs !== undefined && date === toSeconds(validators.lastModifiedMs);
}

/** A strong entity tag from an opaque version string (callers make it unique per content version). */
export function formatEtag(versionTag: string): string {
	return `"${versionTag}"`;
}

/** The weak form of a tag: used when the bytes differ (compressed) but the meaning is the same. */
export function weakenEtag(etag: string): string {
	return etag.startsWith('W/') ? etag : `W/${etag}`;
}

function matchesAny(headerValue: string, etag: string, equals: (a: string, b: string) => boolean): boolean {
	const value = headerValue.trim();
	if (value === '*') return true;
	return splitEtagList(value).some((candidate) => equals(candidate, etag));
}

function splitEtagList(value: string): string[] {
	return value.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

function strongEquals(a: string, b: string): boolean {
	return !a.startsWith('W/') && !b.startsWith('W/') && a === b;
}

function weakEquals(a: string, b: string): boolean {
	return stripWeak(a) === stripWeak(b);
}

function stripWeak(tag: string): string {
	return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function toSeconds(ms: number): number {
	return Math.floor(ms / 1000);
}

/** Seconds since the epoch, or undefined for a missing or unparsable date (which RFC 9110 says to ignore). */
function parseHttpDate(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

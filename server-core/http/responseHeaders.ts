import { validateHeaderValue, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import picomatch from 'picomatch';
import { SettingsError } from '../features/settingsError';
import type { Exchange } from './exchange';
import type { RequestStage } from './pipeline';

export interface HeaderRule {
	readonly glob: string;
	readonly matches: (relativePath: string) => boolean;
	readonly headers: readonly (readonly [string, string])[];
}

/** `*` allows any origin; otherwise the exact serialized origins (`http://localhost:3000`) allowed. */
export interface CorsPolicy {
	readonly anyOrigin: boolean;
	readonly origins: ReadonlySet<string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Framing and connection headers belong to the server: setting them would corrupt responses. */
const RESERVED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'date']);
/** Sources whose headers come from the file server itself: custom headers override them. */
const OWN_SOURCES = new Set<Exchange['source']>(['static', 'listing', 'error']);
const PREFLIGHT_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const PREFLIGHT_MAX_AGE = '600';

/** Validates `{ glob: { name: value } }` (clear SettingsErrors) and compiles the globs with picomatch. */
export function compileHeaderRules(config: Readonly<Record<string, Readonly<Record<string, string>>>>): HeaderRule[] {
	return Object.entries(config).map(([glob, headers]) => {
		const pattern = glob.trim().replace(/^\/+/, '');
		if (pattern === '') throw new SettingsError('headers', `Empty glob in the headers setting (use "**" for every path).`);
		const entries = Object.entries(headers ?? {}).map(([name, value]) => {
			if (!TOKEN.test(name)) throw new SettingsError('headers', `Invalid header name "${name}" for ${glob}.`);
			if (RESERVED.has(name.toLowerCase())) throw new SettingsError('headers', `The header ${name} is managed by the server and cannot be set (${glob}).`);
			const text = String(value);
			if (/[\r\n\0]/.test(text)) throw new SettingsError('headers', `The value of ${name} for ${glob} contains a line break (headers setting, --header).`);
			checkHeaderValue(glob, name, text);
			return [name, text] as const;
		});
		const matcher = pattern === '**' ? () => true : picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
		return { glob, matches: matcher, headers: entries };
	});
}

/**
 * Node refuses (throws on) values with control characters or characters beyond Latin-1: caught here, at start-up,
 * instead of failing on every response.
 */
function checkHeaderValue(glob: string, name: string, value: string): void {
	try {
		validateHeaderValue(name, value);
	} catch {
		const index = [...value].findIndex((char) => !/^[\t\x20-\x7e\x80-\xff]$/.test(char));
		const char = [...value][index] ?? '';
		const shown = /^[\x00-\x1f\x7f]$/.test(char) ? `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${char}"`;
		throw new SettingsError('headers', `The value of ${name} for ${glob} contains ${shown}, which a header cannot carry (headers setting, --header): use ASCII (or Latin-1) without control characters; percent-encode or RFC 8187-encode anything else.`);
	}
}

/** Validates allowed origins: `*`, or `scheme://host[:port]` each (no path). Empty: no CORS at all. */
export function compileCorsPolicy(origins: readonly string[]): CorsPolicy | undefined {
	if (origins.length === 0) return undefined;
	const allowed = new Set<string>();
	let anyOrigin = false;
	for (const raw of origins) {
		const text = raw.trim();
		if (text === '*') {
			anyOrigin = true;
			continue;
		}
		let url: URL | undefined;
		try {
			url = new URL(text);
		} catch {
			url = undefined;
		}
		const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password && !text.endsWith('#') && !text.includes('?');
		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
			throw new SettingsError('cors', `Invalid CORS origin "${text}": expected scheme://host[:port] like http://localhost:3000, or "*".`);
		}
		allowed.add(url.origin);
	}
	return { anyOrigin, origins: allowed };
}

/**
 * Installs custom headers and CORS on each response (through `writeHead`, so every way of answering gets them),
 * and answers CORS preflights from allowed origins. Runs before handlers, proxy and files; never after /__live/.
 */
export function createResponseHeadersStage(rules: readonly HeaderRule[], cors: CorsPolicy | undefined): RequestStage | undefined {
	if (rules.length === 0 && cors === undefined) return undefined;
	return (exchange) => {
		const { req, res } = exchange;
		const paths = matchPaths(exchange.pathname);
		const headers = rules.filter((rule) => paths.some((path) => rule.matches(path))).flatMap((rule) => rule.headers);
		const origin = req.headers.origin;
		const allowedOrigin = cors && origin !== undefined && (cors.anyOrigin || cors.origins.has(origin)) ? (cors.anyOrigin ? '*' : origin) : undefined;

		if (cors && req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
			if (allowedOrigin === undefined) return false; // answered as a plain OPTIONS: no CORS headers, the browser refuses
			exchange.source = 'static';
			const preflight: OutgoingHttpHeaders = {
				'Access-Control-Allow-Origin': allowedOrigin,
				'Access-Control-Allow-Methods': PREFLIGHT_METHODS,
				'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
				Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
				'Content-Length': 0,
			};
			const requested = String(req.headers['access-control-request-headers'] ?? '').split(',').map((name) => name.trim()).filter((name) => TOKEN.test(name));
			if (requested.length > 0) preflight['Access-Control-Allow-Headers'] = requested.join(', ');
			// Chrome's Private Network Access: a public page calling this loopback server asks first.
			if (req.headers['access-control-request-private-network'] === 'true') preflight['Access-Control-Allow-Private-Network'] = 'true';
			installHeaders(exchange, headers, undefined, false);
			res.writeHead(204, preflight);
			res.end();
			return true;
		}
		installHeaders(exchange, headers, allowedOrigin, cors !== undefined && !cors.anyOrigin);
		return false;
	};
}

/** The decoded URL path without its leading slash; a folder URL also as its index.html (what it usually serves). */
function matchPaths(pathname: string): string[] {
	let decoded = pathname;
	try {
		if (pathname.includes('%')) decoded = decodeURIComponent(pathname);
	} catch {
		// Malformed: matched as sent (the static server answers 400 anyway).
	}
	const relative = decoded.replace(/^\/+/, '');
	return relative === '' || relative.endsWith('/') ? [relative, `${relative}index.html`] : [relative];
}

function installHeaders(exchange: Exchange, headers: readonly (readonly [string, string])[], allowedOrigin: string | undefined, varyOrigin: boolean): void {
	if (headers.length === 0 && allowedOrigin === undefined && !varyOrigin) return;
	onWriteHead(exchange.res, (res) => {
		const override = OWN_SOURCES.has(exchange.source);
		// Each in its own try: one header Node refuses must not take the others (or CORS) with it.
		for (const [name, value] of headers) trySet(() => (override || !res.hasHeader(name)) && res.setHeader(name, value));
		if (allowedOrigin !== undefined) trySet(() => (override || !res.hasHeader('access-control-allow-origin')) && res.setHeader('Access-Control-Allow-Origin', allowedOrigin));
		if (varyOrigin) {
			trySet(() => {
				const vary = res.getHeader('vary');
				const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
				if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(current)) res.setHeader('Vary', current ? `${current}, Origin` : 'Origin');
			});
		}
	});
}

function trySet(set: () => unknown): void {
	try {
		set();
	} catch {
		// Values are validated at start-up; should Node still refuse one, the other headers go out regardless.
	}
}

/**
 * Runs `apply` just before the status line is written, after the response's own headers are in place, whichever
 * way the response is written (writeHead with headers, or implicitly by write/end). Headers passed to writeHead are
 * moved into the response first (as Node itself does once setHeader has been used), so `apply` sees and can
 * override them.
 */
export function onWriteHead(res: ServerResponse, apply: (res: ServerResponse) => void): void {
	const original = res.writeHead;
	res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
		const statusMessage = typeof rest[0] === 'string' ? rest[0] : undefined;
		const headers = typeof rest[0] === 'string' ? rest[1] : rest[0];
		if (Array.isArray(headers)) {
			for (let index = 0; index + 1 < headers.length; index += 2) this.setHeader(String(headers[index]), headers[index + 1] as string);
		} else if (headers && typeof headers === 'object') {
			for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) if (value !== undefined) this.setHeader(name, value);
		}
		try {
			apply(this);
		} catch {
			// A header the response already committed to cannot be changed; the response itself must still go out.
		}
		res.writeHead = original;
		const write = original as (this: ServerResponse, code: number, message?: string) => ServerResponse;
		return statusMessage === undefined ? write.call(this, statusCode) : write.call(this, statusCode, statusMessage);
	} as ServerResponse['writeHead'];
}

import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { SettingsError } from '../features/settingsError';
import { normalizePrefix } from '../features/urlPrefix';
import { isUnderPrefix } from '../http/exchangeView';
import { DEFAULT_PROXY_TIMEOUT_MS, type ProxyRule } from '../protocol/settings';

/** A validated proxy rule, ready to forward requests. */
export interface ProxyRoute {
	/** Raw URL path prefix without a trailing slash (`/api`), or `/` for everything. */
	readonly prefix: string;
	readonly target: URL;
	/** The target's own path without a trailing slash (`''` for `/`), or undefined to forward paths unchanged. */
	readonly targetPath: string | undefined;
	readonly secure: boolean;
	readonly timeoutMs: number;
	readonly agent: http.Agent;
	/** The target as configured, for messages. */
	readonly label: string;
	/**
	 * This server's `Via` entry (`1.1 live-dev-server-<random>`), the same for every route of a session: a request
	 * that arrives carrying it has gone round a loop back to this server.
	 */
	readonly via: string;
}

/** Validates the configured rules (clear SettingsErrors) and sorts them so the longest prefix is tried first. */
export function createProxyRoutes(rules: readonly ProxyRule[], self?: ListenTarget): ProxyRoute[] {
	const via = `1.1 live-dev-server-${randomBytes(6).toString('hex')}`;
	const routes = rules.map((rule, index) => {
		const route = createRoute(rule, `proxy[${index}]`, via);
		if (self && isSelfTarget(route, self)) {
			disposeRoutes([route]);
			throw new SettingsError(`proxy[${index}].target`, `The proxy target ${route.label} for ${route.prefix} is this server itself (port ${self.port}): every request would loop back to it. Point it at the backend's port.`);
		}
		return route;
	});
	const seen = new Set<string>();
	for (const route of routes) {
		if (seen.has(route.prefix)) throw new SettingsError('proxy', `The path ${route.prefix} is proxied twice.`);
		seen.add(route.prefix);
	}
	return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Where the server will listen, for the start-up check against proxying to itself. */
export interface ListenTarget {
	host: string;
	port: number;
	portExplicit: boolean;
}

/**
 * A target on this server's own port under a loopback name or its bound address: every request would go round
 * until the headers overflow. Only knowable before listening for an explicit port; otherwise (port 0, or a busy
 * port moving on) the Via check stops the loop at its first turn.
 */
function isSelfTarget(route: ProxyRoute, self: ListenTarget): boolean {
	if (!self.portExplicit || self.port === 0) return false;
	const port = Number(route.target.port || (route.target.protocol === 'https:' ? 443 : 80));
	const host = route.target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
	const loopback = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
	return port === self.port && (loopback || host === self.host.toLowerCase());
}

function createRoute(rule: ProxyRule, setting: string, via: string): ProxyRoute {
	if (typeof rule !== 'object' || rule === null || typeof rule.path !== 'string' || typeof rule.target !== 'string') {
		throw new SettingsError(setting, `Each proxy entry needs a "path" and a "target", like { "path": "/api", "target": "http://127.0.0.1:3000" }; got ${JSON.stringify(rule)}.`);
	}
	const prefix = normalizePrefix(rule.path, `${setting}.path`);
	const text = String(rule.target ?? '').trim();
	const raw = /^(https?):\/\/([^/?#]+)([^?#]*)$/i.exec(text);
	let target: URL;
	try {
		if (!raw) throw new Error('expected http:// or https:// followed by host[:port][/path], without ?query or #fragment');
		target = new URL(text);
		if (target.username || target.password) throw new Error('credentials in the URL are not supported');
	} catch (error) {
		throw new SettingsError(`${setting}.target`, `Invalid proxy target "${text}" for ${prefix}: ${(error as Error).message}.`);
	}
	const rawPath = raw[3]!;
	const secure = rule.secure !== false;
	const timeoutMs = rule.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
	if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new SettingsError(`${setting}.timeoutMs`, `Invalid proxy timeout ${timeoutMs}: expected milliseconds, at least 1.`);
	const agentOptions = { keepAlive: true, maxFreeSockets: 16 };
	const agent = target.protocol === 'https:' ? new https.Agent({ ...agentOptions, rejectUnauthorized: secure }) : new http.Agent(agentOptions);
	return {
		prefix,
		target,
		targetPath: rawPath === '' ? undefined : target.pathname.replace(/\/+$/, ''),
		secure,
		timeoutMs,
		agent,
		label: `${target.origin}${rawPath}`,
		via,
	};
}

/** True when the request already passed through this server's proxy (its Via entry is there): a loop. */
export function isProxyLoop(req: http.IncomingMessage, route: ProxyRoute): boolean {
	const via = req.headers.via;
	return via !== undefined && via.split(',').some((entry) => entry.trim() === route.via);
}

/**
 * True when a path has `.` or `..` segments, literal, percent-encoded (`%2e%2e`) or behind an encoded separator
 * (`..%2f`, `..%5c`). Forwarded, they would be resolved by the backend: `/api/../admin` leaves the proxied prefix.
 */
export function hasDotSegment(pathname: string): boolean {
	const isDot = (segment: string) => segment === '.' || segment === '..';
	if (pathname.split('/').some((segment) => isDot(segment.replace(/%2e/gi, '.')))) return true;
	if (!pathname.includes('%')) return false;
	try {
		return decodeURIComponent(pathname).split(/[/\\]/).some(isDot);
	} catch {
		return false; // not valid percent-encoding: the backend judges the bytes it gets; no dot segment in them
	}
}

export function findRoute(routes: readonly ProxyRoute[], pathname: string): ProxyRoute | undefined {
	for (const route of routes) if (isUnderPrefix(pathname, route.prefix)) return route;
	return undefined;
}

/** The path (and query) sent to the backend: unchanged, or with the prefix replaced by the target's path (nginx). */
export function backendPath(route: ProxyRoute, pathname: string, search: string): string {
	if (route.targetPath === undefined) return pathname + search;
	const rest = route.prefix === '/' ? pathname : pathname.slice(route.prefix.length);
	const joined = route.targetPath + (rest.startsWith('/') || rest === '' ? rest : '/' + rest);
	return (joined === '' ? '/' : joined) + search;
}

/**
 * A backend redirect to its own origin (`http://127.0.0.1:3000/login`) would take the browser away from the dev
 * server: it becomes a path on the dev server (mapped back through the prefix). Other locations pass unchanged.
 */
export function rewriteLocation(route: ProxyRoute, location: string): string {
	let url: URL;
	try {
		url = new URL(location, route.target);
	} catch {
		return location;
	}
	const absolute = /^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//');
	if (url.origin !== route.target.origin) return location;
	if (!absolute && !location.startsWith('/')) return location; // relative to the current URL: already right
	let path = url.pathname;
	if (route.targetPath !== undefined) {
		if (!isUnderPrefix(path, route.targetPath || '/')) return absolute ? path + url.search + url.hash : location;
		const rest = path.slice(route.targetPath.length);
		path = (route.prefix === '/' ? '' : route.prefix) + (rest.startsWith('/') ? rest : '/' + rest);
	}
	return path + url.search + url.hash;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and ones this hop consumes: never forwarded in either direction. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'expect']);

/** Copies headers minus hop-by-hop ones (and those the Connection header names). */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
	const connectionTokens = String(headers.connection ?? '').toLowerCase().split(',').map((token) => token.trim());
	const copy: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || HOP_HEADERS.has(name) || connectionTokens.includes(name)) continue;
		copy[name] = value;
	}
	return copy;
}

/**
 * Request headers for the backend. `Host` becomes the target's (virtual hosts and TLS backends need it; Vite's
 * changeOrigin), and the original travels in X-Forwarded-Host, with X-Forwarded-For (appended) and -Proto.
 */
export function backendRequestHeaders(req: http.IncomingMessage, route: ProxyRoute): http.OutgoingHttpHeaders {
	const headers = endToEndHeaders(req.headers);
	const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
	const client = req.socket.remoteAddress ?? '';
	const forwardedFor = req.headers['x-forwarded-for'];
	headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client}` : client;
	headers['x-forwarded-proto'] = encrypted ? 'https' : 'http';
	if (req.headers.host !== undefined) headers['x-forwarded-host'] = req.headers.host;
	headers.host = route.target.host;
	headers.via = req.headers.via ? `${req.headers.via}, ${route.via}` : route.via; // RFC 9110 §7.6.3; loop detection
	return headers;
}

export function requestOptions(route: ProxyRoute, method: string, path: string, headers: http.OutgoingHttpHeaders): https.RequestOptions {
	const { target } = route;
	return {
		protocol: target.protocol,
		hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
		port: target.port || (target.protocol === 'https:' ? 443 : 80),
		method,
		path,
		headers,
		agent: route.agent,
		rejectUnauthorized: route.secure,
		servername: target.hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(target.hostname) ? undefined : target.hostname,
	};
}

export function sendRequest(route: ProxyRoute, options: https.RequestOptions): http.ClientRequest {
	return route.target.protocol === 'https:' ? https.request(options) : http.request(options);
}

/** Why the backend could not be used, in words a user can act on. */
export function describeBackendError(route: ProxyRoute, error: NodeJS.ErrnoException): string {
	const where = `the backend ${route.label}`;
	switch (error.code) {
		case 'ECONNREFUSED':
			return `${where} refused the connection (is it running?)`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `the backend host ${route.target.hostname} does not resolve`;
		case 'ECONNRESET':
			return `${where} closed the connection without answering`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return `${where} is unreachable`;
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
		case 'CERT_HAS_EXPIRED':
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return `${where} has a TLS certificate that is not trusted (${error.code}); for a development backend, turn certificate checks off for this rule (secure: false, --proxy-insecure)`;
		default:
			return `${where} failed: ${error.message}`;
	}
}

export function disposeRoutes(routes: readonly ProxyRoute[]): void {
	for (const route of routes) route.agent.destroy();
}

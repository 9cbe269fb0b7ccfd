import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/**
 * Which Host (and Origin) names may reach the server. DNS rebinding needs a *name* that an attacker controls
 * and re-points at 127.0.0.1, so IP literals and loopback names are always safe; other names must be listed.
 */
export interface HostPolicy {
	/**
	 * Lower-case names that are allowed exactly. A leading dot (`.example.test`) allows the domain and its
	 * subdomains; `*` turns the check off (the user's explicit choice).
	 */
	readonly allowedHosts: readonly string[];
	/** This machine's own addresses: the only IP literals a page Origin may carry. */
	readonly localAddresses: ReadonlySet<string>;
}

export function createHostPolicy(boundHost: string, allowedHosts: readonly string[]): HostPolicy {
	const names = allowedHosts.map((host) => host.trim().toLowerCase()).filter((host) => host.length > 0);
	const bound = boundHost.toLowerCase();
	const localAddresses = new Set<string>();
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) localAddresses.add(address.address.toLowerCase().replace(/%.*$/, ''));
	}
	if (isIP(bound) !== 0) localAddresses.add(bound);
	else if (!names.includes(bound)) names.push(bound);
	if (bound === '0.0.0.0' || bound === '::') {
		// Listening on the network was asked for: the machine's own name is how other devices will reach it.
		const machine = hostname().toLowerCase();
		names.push(machine, `${machine}.local`);
	}
	return { allowedHosts: names, localAddresses };
}

/** Extracts the host name from a Host header value (`name:port`, `[v6]:port`); undefined when malformed. */
export function hostNameOf(hostHeader: string): string | undefined {
	const value = hostHeader.trim().toLowerCase();
	if (value.startsWith('[')) {
		const close = value.indexOf(']');
		if (close === -1) return undefined;
		const rest = value.slice(close + 1);
		if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
		return value.slice(1, close);
	}
	const colon = value.indexOf(':');
	const name = colon === -1 ? value : value.slice(0, colon);
	if (colon !== -1 && !/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
	if (name === '' || !/^[a-z0-9._~%!$&'()*+,;=-]+$/.test(name)) return undefined;
	return name.endsWith('.') ? name.slice(0, -1) : name;
}

export function isHostNameAllowed(name: string, policy: HostPolicy): boolean {
	if (isIP(name) !== 0) return true;
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	for (const allowed of policy.allowedHosts) {
		if (allowed === '*') return true;
		if (allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed) return true;
	}
	return false;
}

const verdicts = new WeakMap<HostPolicy, Map<string, boolean>>();

/**
 * The Host header check. HTTP/1.0 requests may omit Host (HTTP/1.1 requests without one are refused earlier,
 * by `hostHeaderProblem`).
 * Verdicts are memoised per policy: a browser sends the same few values on every request.
 */
export function isHostHeaderAllowed(hostHeader: string | undefined, policy: HostPolicy): boolean {
	if (hostHeader === undefined) return true;
	let memo = verdicts.get(policy);
	if (memo === undefined) verdicts.set(policy, (memo = new Map()));
	let allowed = memo.get(hostHeader);
	if (allowed === undefined) {
		const name = hostNameOf(hostHeader);
		allowed = name !== undefined && isHostNameAllowed(name, policy);
		if (memo.size >= 64) memo.clear(); // hostile clients cannot grow it
		memo.set(hostHeader, allowed);
	}
	return allowed;
}

/**
 * The WebSocket Origin check: browsers always send Origin on WebSocket handshakes, so a page on another site
 * is refused. Decided as for the Host header (`isHostHeaderAllowed`):
 * - no Origin: not a browser page (a script, a CLI tool), so no cross-site threat, as a Host-less HTTP/1.0 request;
 * - `null` (sandboxed iframes, file: and data: pages): any site can produce one, so it is refused;
 * - the same origin as the request's Host (`hostHeader`, which the caller has already accepted): the page was
 *   served by this server under that name, so it is ours, whatever address or forwarded name it is;
 * - otherwise the Origin's host must pass the policy, and an IP literal must be loopback or this machine's.
 */
export function isOriginAllowed(origin: string | undefined, policy: HostPolicy, hostHeader?: string): boolean {
	if (origin === undefined) return true;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false; // includes the opaque origin "null"
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
	if (hostHeader !== undefined && isSameAuthority(url, hostHeader)) return true;
	const name = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	// Unlike a Host header, an IP-literal Origin can be a foreign site: only loopback and this machine's addresses pass.
	if (isIP(name) !== 0) return isLoopbackAddress(name) || policy.localAddresses.has(name);
	return isHostNameAllowed(name, policy);
}

/** True when the Host header names the Origin's host and port (default ports by the Origin's scheme). */
function isSameAuthority(origin: URL, hostHeader: string): boolean {
	if (hostNameOf(hostHeader) === undefined) return false;
	try {
		return new URL(`${origin.protocol}//${hostHeader.trim()}`).host === origin.host;
	} catch {
		return false;
	}
}

export function isLoopbackAddress(address: string): boolean {
	return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || /^::ffff:127\./.test(address);
}

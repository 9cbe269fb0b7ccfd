import { DEFAULT_CGI_SETTINGS, DEFAULT_HANDLER_SETTINGS, DEFAULT_SETTINGS, type CgiSettings, type MountRule, type ProxyRule, type ServerSettings } from './settings';

/** When an edited page reloads: as you type (unsaved buffers are served) or only when the file is saved. */
export type ReloadOn = 'change' | 'save';

/**
 * The `liveDevServer.*` settings as VS Code stores them (package.json `contributes.configuration`).
 * The server pulls them per folder with `workspace/configuration`; the extension reads the client-side ones
 * (`openBrowser`, `log.headers`) itself. A unit test keeps these defaults equal to package.json's.
 */
export interface LiveDevServerConfiguration {
	/** First port to try; the next free one is used when it is busy. 0 = any free port. */
	port: number;
	host: string;
	/** Folder to serve, relative to the workspace folder ('' = the folder itself). */
	root: string;
	/** `default` (the system browser), `none`, or a command line that is given the URL as its last argument. */
	openBrowser: string;
	reloadOn: ReloadOn;
	/** Quiet time after the last keystroke before pages reload (reloadOn `change`), in ms. */
	debounce: number;
	ignore: string[];
	allowedHosts: string[];
	dotfilesAllow: string[];
	log: { headers: boolean };
	/** Request handlers (code from the workspace): off unless enabled, and never in an untrusted workspace. */
	handlers: { enabled: boolean; dir: string; timeoutMs: number };
	/** HTTPS with the given PEM files, or ('' for both) a generated self-signed certificate. */
	https: { enabled: boolean; cert: string; key: string };
	proxy: ProxyRule[];
	/** SPA fallback file ('' = off). */
	spa: string;
	headers: Record<string, Record<string, string>>;
	cors: string[];
	mounts: MountRule[];
	/** CGI scripts (code from the workspace): like handlers, never in an untrusted workspace. */
	cgi: CgiSettings;
	/** Relay the pages' console to the "Live Dev Server: Browser Console" output channel. */
	console: boolean;
}

export const DEFAULT_CONFIGURATION: LiveDevServerConfiguration = {
	port: DEFAULT_SETTINGS.port,
	host: DEFAULT_SETTINGS.host,
	root: '',
	openBrowser: 'default',
	reloadOn: 'change',
	debounce: 200,
	ignore: [...DEFAULT_SETTINGS.ignore],
	allowedHosts: [],
	dotfilesAllow: [...DEFAULT_SETTINGS.dotfilesAllow],
	log: { headers: false },
	handlers: { enabled: false, dir: DEFAULT_HANDLER_SETTINGS.dir, timeoutMs: DEFAULT_HANDLER_SETTINGS.timeoutMs },
	https: { enabled: false, cert: '', key: '' },
	proxy: [],
	spa: '',
	headers: {},
	cors: [],
	mounts: [],
	cgi: { ...DEFAULT_CGI_SETTINGS, dirs: [...DEFAULT_CGI_SETTINGS.dirs], interpreters: { ...DEFAULT_CGI_SETTINGS.interpreters } },
	console: false,
};

export const MAX_DEBOUNCE_MS = 10_000;
/** `liveDevServer.handlers.timeoutMs` (package.json declares the same minimum and maximum). */
export const HANDLER_TIMEOUT_RANGE = { min: 100, max: 600_000 } as const;

/**
 * Turns whatever the configuration holds (a user may type anything into settings.json) into valid settings:
 * every field that is missing or malformed takes its default.
 */
export function readConfiguration(raw: unknown): LiveDevServerConfiguration {
	const value = isRecord(raw) ? raw : {};
	const defaults = DEFAULT_CONFIGURATION;
	const log = isRecord(value.log) ? value.log : {};
	const handlers = isRecord(value.handlers) ? value.handlers : {};
	const https = isRecord(value.https) ? value.https : {};
	const cgi = isRecord(value.cgi) ? value.cgi : {};
	return {
		port: isInteger(value.port) && value.port >= 0 && value.port <= 65535 ? value.port : defaults.port,
		host: typeof value.host === 'string' && value.host.trim() !== '' ? value.host.trim() : defaults.host,
		root: typeof value.root === 'string' ? value.root.trim() : defaults.root,
		openBrowser: typeof value.openBrowser === 'string' && value.openBrowser.trim() !== '' ? value.openBrowser.trim() : defaults.openBrowser,
		reloadOn: value.reloadOn === 'save' || value.reloadOn === 'change' ? value.reloadOn : defaults.reloadOn,
		debounce: isInteger(value.debounce) && value.debounce >= 0 ? Math.min(value.debounce, MAX_DEBOUNCE_MS) : defaults.debounce,
		ignore: stringList(value.ignore) ?? [...defaults.ignore],
		allowedHosts: stringList(value.allowedHosts) ?? [...defaults.allowedHosts],
		dotfilesAllow: stringList(value.dotfilesAllow) ?? [...defaults.dotfilesAllow],
		log: { headers: typeof log.headers === 'boolean' ? log.headers : defaults.log.headers },
		handlers: {
			enabled: typeof handlers.enabled === 'boolean' ? handlers.enabled : defaults.handlers.enabled,
			dir: typeof handlers.dir === 'string' && handlers.dir.trim() !== '' ? handlers.dir.trim() : defaults.handlers.dir,
			timeoutMs: isInteger(handlers.timeoutMs) && handlers.timeoutMs > 0
				? Math.min(Math.max(handlers.timeoutMs, HANDLER_TIMEOUT_RANGE.min), HANDLER_TIMEOUT_RANGE.max)
				: defaults.handlers.timeoutMs,
		},
		https: {
			enabled: typeof https.enabled === 'boolean' ? https.enabled : defaults.https.enabled,
			cert: typeof https.cert === 'string' ? https.cert.trim() : defaults.https.cert,
			key: typeof https.key === 'string' ? https.key.trim() : defaults.https.key,
		},
		// Entries of the wrong shape are passed on as they are, like ones with a bad URL or folder: server-core
		// reports each as a SettingsError naming it (proxy[1]), rather than serving without it unannounced.
		proxy: Array.isArray(value.proxy) ? value.proxy.map((rule) => (isProxyRule(rule) ? copyProxyRule(rule) : (rule as ProxyRule))) : [],
		spa: typeof value.spa === 'string' ? value.spa.trim() : defaults.spa,
		headers: isRecord(value.headers) ? headerRules(value.headers) : {},
		cors: stringList(value.cors) ?? [],
		mounts: Array.isArray(value.mounts) ? value.mounts.map((rule) => (isMountRule(rule) ? { path: rule.path, dir: rule.dir } : (rule as MountRule))) : [],
		cgi: {
			enabled: typeof cgi.enabled === 'boolean' ? cgi.enabled : defaults.cgi.enabled,
			dirs: stringList(cgi.dirs) ?? [...defaults.cgi.dirs],
			timeoutMs: isInteger(cgi.timeoutMs) && cgi.timeoutMs > 0 ? cgi.timeoutMs : defaults.cgi.timeoutMs,
			interpreters: isRecord(cgi.interpreters) ? stringRecord(cgi.interpreters) : { ...defaults.cgi.interpreters },
		},
		console: typeof value.console === 'boolean' ? value.console : defaults.console,
	};
}

/**
 * The server-core settings for a folder. The port is never "explicit" in the editor: a busy port moves on to
 * the next free one (the status bar shows the real one), so several folders can all keep the default.
 * Handlers run workspace code: they are enabled only when the setting says so AND the workspace is trusted.
 */
export function toServerSettings(
	config: LiveDevServerConfiguration,
	{ extraAllowedHosts = [], trusted = false, certDir }: { extraAllowedHosts?: readonly string[]; trusted?: boolean; certDir?: string } = {},
): ServerSettings {
	return {
		...DEFAULT_SETTINGS,
		port: config.port,
		portExplicit: false,
		host: config.host,
		allowedHosts: [...new Set([...config.allowedHosts, ...extraAllowedHosts])],
		dotfilesAllow: [...new Set(['.well-known', ...config.dotfilesAllow])],
		ignore: config.ignore,
		handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: config.handlers.enabled && trusted, dir: config.handlers.dir, timeoutMs: config.handlers.timeoutMs },
		https: {
			enabled: config.https.enabled,
			...(config.https.cert === '' ? {} : { cert: config.https.cert }),
			...(config.https.key === '' ? {} : { key: config.https.key }),
			...(certDir === undefined ? {} : { certDir }),
		},
		proxy: config.proxy,
		spa: config.spa,
		headers: config.headers,
		cors: config.cors,
		mounts: config.mounts,
		// CGI scripts are workspace code too: only in a trusted workspace.
		cgi: { ...config.cgi, enabled: config.cgi.enabled && trusted },
		console: config.console,
	};
}

function isProxyRule(value: unknown): value is ProxyRule {
	return isRecord(value) && typeof value.path === 'string' && typeof value.target === 'string';
}

function copyProxyRule(rule: ProxyRule): ProxyRule {
	return {
		path: rule.path,
		target: rule.target,
		...(typeof rule.secure === 'boolean' ? { secure: rule.secure } : {}),
		...(isInteger(rule.timeoutMs) && rule.timeoutMs > 0 ? { timeoutMs: rule.timeoutMs } : {}),
	};
}

function isMountRule(value: unknown): value is MountRule {
	return isRecord(value) && typeof value.path === 'string' && typeof value.dir === 'string';
}

/** `{ glob: { Header: value } }`, keeping string values only. */
function headerRules(value: Record<string, unknown>): Record<string, Record<string, string>> {
	const rules: Record<string, Record<string, string>> = {};
	for (const [glob, headers] of Object.entries(value)) {
		if (isRecord(headers)) rules[glob] = stringRecord(headers);
	}
	return rules;
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function stringList(value: unknown): string[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

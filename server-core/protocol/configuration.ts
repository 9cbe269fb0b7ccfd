import { DEFAULT_HANDLER_SETTINGS, DEFAULT_SETTINGS, type ServerSettings } from './settings';

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
	handlers: { enabled: boolean; dir: string };
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
	handlers: { enabled: false, dir: DEFAULT_HANDLER_SETTINGS.dir },
};

const MAX_DEBOUNCE_MS = 10_000;

/**
 * Turns whatever the configuration holds (a user may type anything into settings.json) into valid settings:
 * every field that is missing or malformed takes its default.
 */
export function readConfiguration(raw: unknown): LiveDevServerConfiguration {
	const value = isRecord(raw) ? raw : {};
	const defaults = DEFAULT_CONFIGURATION;
	const log = isRecord(value.log) ? value.log : {};
	const handlers = isRecord(value.handlers) ? value.handlers : {};
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
		},
	};
}

/**
 * The server-core settings for a folder. The port is never "explicit" in the editor: a busy port moves on to
 * the next free one (the status bar shows the real one), so several folders can all keep the default.
 * Handlers run workspace code: they are enabled only when the setting says so AND the workspace is trusted.
 */
export function toServerSettings(config: LiveDevServerConfiguration, { extraAllowedHosts = [], trusted = false }: { extraAllowedHosts?: readonly string[]; trusted?: boolean } = {}): ServerSettings {
	return {
		...DEFAULT_SETTINGS,
		port: config.port,
		portExplicit: false,
		host: config.host,
		allowedHosts: [...new Set([...config.allowedHosts, ...extraAllowedHosts])],
		dotfilesAllow: [...new Set(['.well-known', ...config.dotfilesAllow])],
		ignore: config.ignore,
		handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: config.handlers.enabled && trusted, dir: config.handlers.dir },
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function stringList(value: unknown): string[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

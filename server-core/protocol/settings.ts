/**
 * Settings shared by the CLI (flags) and the extension (`liveDevServer.*` configuration).
 * Both sides build a `ServerSettings` and hand it to server-core; nothing else crosses the boundary.
 */
export interface ServerSettings {
	/** TCP port; 0 picks any free port. */
	port: number;
	/** True when the user chose the port: a busy port is then an error instead of a reason to try the next one. */
	portExplicit: boolean;
	/** Address to bind. Loopback by default; `0.0.0.0` or `::` only when asked. */
	host: string;
	/** Extra Host header values accepted besides loopback names, IP literals and the bound address. */
	allowedHosts: string[];
	/** Dot-named files and folders that may be served (all others answer 403). */
	dotfilesAllow: string[];
	/** Inject the live-reload client into HTML and push changes to open pages. */
	reload: boolean;
	/** Quiet time, in ms, that ends a burst of changes before pages are told (bursts of thousands wait longer). */
	debounceMs: number;
	/** Globs (relative to the served folder) whose changes never reload pages and are not watched. */
	ignore: string[];
	/** Dynamic handlers (TypeScript files that answer requests); absent means off. */
	handlers?: HandlerSettings;
}

/**
 * Handlers execute workspace code, so they only run when enabled: with a CLI flag, and in VS Code only when the
 * user enabled them *and* the workspace is trusted (the extension must pass `enabled: false` otherwise).
 */
export interface HandlerSettings {
	enabled: boolean;
	/** Handlers folder, relative to the served root (a subfolder, never the root itself). Its URL path mirrors it. */
	dir: string;
	/** A handler that has not started its response by then gets a 504, and its worker is replaced. */
	timeoutMs: number;
	/** Heap limit of the handler worker; a handler exhausting it gets its worker restarted. */
	memoryLimitMb: number;
}

export const DEFAULT_HANDLER_SETTINGS: HandlerSettings = {
	enabled: false,
	dir: 'api',
	timeoutMs: 10_000,
	memoryLimitMb: 512,
};

export const DEFAULT_PORT = 5500;

export const DEFAULT_SETTINGS: ServerSettings = {
	port: DEFAULT_PORT,
	portExplicit: false,
	host: '127.0.0.1',
	allowedHosts: [],
	dotfilesAllow: ['.well-known'],
	reload: true,
	debounceMs: 5,
	ignore: ['**/node_modules', '**/.git'],
};

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
}

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

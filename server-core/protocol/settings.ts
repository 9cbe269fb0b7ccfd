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
	/** Globs whose changes never reload pages and are not watched, read as in .gitignore (see createIgnoreMatcher). */
	ignore: string[];
	/** Dynamic handlers (TypeScript files that answer requests); absent means off. */
	handlers?: HandlerSettings;

	// ---- Extras (issue 7). All optional: absent means the DEFAULT_SETTINGS value, which is "off" for each. ----

	/** Serve over HTTPS (the live-reload socket becomes wss:). Absent or `enabled: false`: plain HTTP. */
	https?: HttpsSettings;
	/** Path prefixes forwarded to other servers (`/api` -> `http://127.0.0.1:3000`), WebSocket upgrades included. */
	proxy?: ProxyRule[];
	/**
	 * Single-page-app fallback: a GET/HEAD for a missing path that accepts HTML and has no file extension is answered
	 * with this file (relative to the served folder, e.g. `index.html`). Empty or absent: off.
	 */
	spa?: string;
	/**
	 * Extra response headers by URL glob, matched with picomatch against the decoded path without its leading `/`;
	 * a glob without `/` matches the file name in any folder (as in .gitignore):
	 * `{ "*.wasm": { "Cross-Origin-Embedder-Policy": "require-corp" } }`. They override the file server's own headers
	 * (static files, listings, error pages); handler, proxy and CGI responses keep the headers they set themselves.
	 */
	headers?: Record<string, Record<string, string>>;
	/**
	 * Origins allowed to read responses cross-origin (`http://localhost:3000`), answered with
	 * `Access-Control-Allow-Origin: <that origin>` and `Vary: Origin`; preflights are answered. Empty: no CORS headers
	 * at all. `*` allows every origin, and only when given explicitly.
	 */
	cors?: string[];
	/** Extra folders served under URL prefixes (`/node_modules` -> `./node_modules`); the longest prefix wins. */
	mounts?: MountRule[];
	/**
	 * CGI scripts (RFC 3875) in configured folders. They execute code from the workspace, so, like handlers, they are
	 * off unless enabled, and in VS Code only in a trusted workspace (the extension passes `enabled: false` otherwise).
	 */
	cgi?: CgiSettings;
	/**
	 * Relay `console.log/info/warn/error` and uncaught errors from served pages to the server (the CLI prints them,
	 * the extension shows them in its output panel). Needs `reload` (it uses the live-reload socket).
	 */
	console?: boolean;
}

export interface HttpsSettings {
	enabled: boolean;
	/**
	 * PEM certificate and key files (absolute, or relative to the served folder; the CLI resolves its flags against
	 * the current folder). Both or neither: neither means a generated self-signed certificate for localhost.
	 */
	cert?: string;
	key?: string;
	/**
	 * Not a user setting: where the generated certificate is kept and reused until it expires. The extension passes
	 * its global storage folder (`context.globalStorageUri.fsPath`); the CLI an OS cache folder.
	 */
	certDir?: string;
}

export interface ProxyRule {
	/** URL path prefix, e.g. `/api`: matches `/api` and `/api/...`, never `/apix`. */
	path: string;
	/**
	 * `http(s)://host:port[/path]`. Without a path, the request path is forwarded unchanged (`/api/x` -> `/api/x`);
	 * with one (even `/`), it replaces the matched prefix, as nginx's proxy_pass does (`/api/x` -> `/x`).
	 */
	target: string;
	/** Verify the backend's TLS certificate (https targets). Default true; false for self-signed dev backends. */
	secure?: boolean;
	/** A backend that has not started its response by then gets the browser a 504. Default 30000. */
	timeoutMs?: number;
}

export interface MountRule {
	/** URL path prefix, e.g. `/node_modules`. */
	path: string;
	/** Folder served there: absolute, or relative to the served folder. Must exist. */
	dir: string;
}

export interface CgiSettings {
	enabled: boolean;
	/** URL folders (mapped into the served folder) whose files run as CGI scripts. Default `["/cgi-bin"]`. */
	dirs: string[];
	/** A script still running after this long is killed (with its child processes): 504, or a cut response. */
	timeoutMs: number;
	/**
	 * Interpreters by file extension, run as `<command> <script>` (no shell). Files without a mapped extension run
	 * directly (shebang line and executable bit needed). Default `.php` -> `php-cgi`, `.py` -> `python3`.
	 */
	interpreters: Record<string, string>;
}

export const DEFAULT_CGI_SETTINGS: CgiSettings = {
	enabled: false,
	dirs: ['/cgi-bin'],
	timeoutMs: 30_000,
	interpreters: { '.php': 'php-cgi', '.py': 'python3' },
};

export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;

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
	/**
	 * V8 heap limit of the handler worker process; a handler exhausting it gets its worker restarted. Not a user
	 * setting (no flag, no VS Code setting): always the default outside tests.
	 */
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
	https: { enabled: false },
	proxy: [],
	spa: '',
	headers: {},
	cors: [],
	mounts: [],
	cgi: DEFAULT_CGI_SETTINGS,
	console: false,
};

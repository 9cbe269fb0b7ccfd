import * as path from 'node:path';
import { defaultCertDir } from '../https/tlsCredentials';
import { DEFAULT_CGI_SETTINGS, DEFAULT_PROXY_TIMEOUT_MS, type ServerSettings } from '../protocol/settings';

/** parseArgs option specs for the extras (HTTPS, proxy, SPA, headers, CORS, mounts, CGI, console relay). */
export const EXTRA_OPTIONS = {
	https: { type: 'boolean' },
	cert: { type: 'string' },
	key: { type: 'string' },
	proxy: { type: 'string', multiple: true },
	'proxy-timeout': { type: 'string' },
	'proxy-insecure': { type: 'boolean' },
	spa: { type: 'string' },
	header: { type: 'string', multiple: true },
	cors: { type: 'string', multiple: true },
	mount: { type: 'string', multiple: true },
	cgi: { type: 'boolean' },
	'cgi-dir': { type: 'string', multiple: true },
	'cgi-timeout': { type: 'string' },
	'cgi-interpreter': { type: 'string', multiple: true },
	console: { type: 'boolean' },
} as const;

export const EXTRAS_USAGE = `
HTTPS, proxy and more (see the README):
      --https            serve HTTPS with a generated self-signed certificate for localhost (kept in the user cache)
      --cert FILE --key FILE   serve HTTPS with this PEM certificate and key (imply --https)
      --proxy PREFIX=URL forward PREFIX to a backend, e.g. /api=http://127.0.0.1:3000 (repeatable; WebSockets too;
                         a URL with a path replaces the prefix: /api=http://127.0.0.1:3000/ sends /api/x as /x)
      --proxy-timeout MS 504 when a backend has not answered by then (default ${DEFAULT_PROXY_TIMEOUT_MS})
      --proxy-insecure   accept self-signed certificates from https backends
      --spa[=FILE]       single-page app: unknown extension-less paths that accept HTML get FILE (default index.html)
      --header 'GLOB: Name: value'  add a response header for paths matching GLOB (repeatable); without GLOB, all
      --cors ORIGIN      allow this origin cross-origin, e.g. http://localhost:3000 (repeatable; "*" for any)
      --mount PREFIX=DIR serve DIR under the URL PREFIX, e.g. /node_modules=./node_modules (repeatable)
      --cgi              run CGI scripts in /cgi-bin (off unless given: scripts execute code from the folder)
      --cgi-dir PATH     a CGI folder (URL path; repeatable; implies --cgi)
      --cgi-timeout MS   kill a script still running after MS (default ${DEFAULT_CGI_SETTINGS.timeoutMs})
      --cgi-interpreter EXT=COMMAND  run *.EXT scripts with COMMAND, e.g. .rb=ruby or '.py=python3 -u'
                         (repeatable; no shell; defaults: .php=php-cgi .py=python3; others need a #! line
                         and the executable bit)
      --console          print the pages' console.log/warn/error and uncaught errors here
`;

type ExtraValues = {
	https?: boolean; cert?: string; key?: string; proxy?: string[]; 'proxy-timeout'?: string; 'proxy-insecure'?: boolean;
	spa?: string; header?: string[]; cors?: string[]; mount?: string[]; cgi?: boolean; 'cgi-dir'?: string[];
	'cgi-timeout'?: string; 'cgi-interpreter'?: string[]; console?: boolean;
};

export type ExtraSettings = Pick<ServerSettings, 'https' | 'proxy' | 'spa' | 'headers' | 'cors' | 'mounts' | 'cgi' | 'console'>;

/** `--spa` alone means index.html; parseArgs needs a value, so it is supplied before parsing. */
export function expandSpaFlag(argv: readonly string[]): string[] {
	return argv.map((arg) => (arg === '--spa' ? '--spa=index.html' : arg));
}

/** Turns the extras' flag values into settings (syntax only; Session.start checks files, folders and URLs). */
export function parseExtraArgs(values: ExtraValues): { ok: true; settings: ExtraSettings } | { ok: false; message: string } {
	try {
		return { ok: true, settings: toSettings(values) };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}

function toSettings(values: ExtraValues): ExtraSettings {
	const proxyTimeout = values['proxy-timeout'] === undefined ? undefined : milliseconds(values['proxy-timeout'], '--proxy-timeout');
	const proxy = (values.proxy ?? []).map((text) => {
		const [prefix, target] = splitPair(text, '--proxy', 'PREFIX=URL, e.g. /api=http://127.0.0.1:3000');
		return { path: prefix, target, ...(values['proxy-insecure'] ? { secure: false } : {}), ...(proxyTimeout === undefined ? {} : { timeoutMs: proxyTimeout }) };
	});
	const mounts = (values.mount ?? []).map((text) => {
		const [prefix, dir] = splitPair(text, '--mount', 'PREFIX=DIR, e.g. /node_modules=./node_modules');
		return { path: prefix, dir };
	});
	const headers: Record<string, Record<string, string>> = {};
	for (const text of values.header ?? []) {
		const { glob, name, value } = parseHeaderFlag(text);
		(headers[glob] ??= {})[name] = value;
	}
	const interpreters = { ...DEFAULT_CGI_SETTINGS.interpreters };
	for (const text of values['cgi-interpreter'] ?? []) {
		const [extension, command] = splitPair(text, '--cgi-interpreter', 'EXT=COMMAND, e.g. .rb=ruby');
		interpreters[extension.startsWith('.') ? extension : `.${extension}`] = command;
	}
	const cgiDirs = values['cgi-dir'];
	if (values.spa !== undefined && values.spa.trim() === '') throw new Error('Invalid --spa: expected --spa or --spa=FILE.');
	return {
		https: { enabled: values.https === true || values.cert !== undefined || values.key !== undefined, cert: values.cert, key: values.key },
		proxy,
		spa: values.spa ?? '',
		headers,
		cors: values.cors ?? [],
		mounts,
		cgi: {
			enabled: values.cgi === true || cgiDirs !== undefined,
			dirs: cgiDirs ?? DEFAULT_CGI_SETTINGS.dirs,
			timeoutMs: values['cgi-timeout'] === undefined ? DEFAULT_CGI_SETTINGS.timeoutMs : milliseconds(values['cgi-timeout'], '--cgi-timeout'),
			interpreters,
		},
		console: values.console === true,
	};
}

/**
 * `'GLOB: Name: value'`, or `'Name: value'` for every path. The glob form needs a wildcard, `/` or `.` in GLOB, so
 * values with colons (`Link: <https://x>`, `X-A: b: c`) still work without a glob.
 */
export function parseHeaderFlag(text: string): { glob: string; name: string; value: string } {
	const globForm = /^([^:]+):\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s?(.*)$/.exec(text);
	if (globForm && /[*/.?{[]/.test(globForm[1]!)) return { glob: globForm[1]!.trim(), name: globForm[2]!, value: globForm[3]!.trim() };
	const plain = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s?(.*)$/.exec(text);
	if (plain) return { glob: '**', name: plain[1]!, value: plain[2]!.trim() };
	throw new Error(`Invalid --header "${text}": expected 'Name: value' or 'GLOB: Name: value', e.g. '*.wasm: Cross-Origin-Embedder-Policy: require-corp'.`);
}

function splitPair(text: string, flag: string, expected: string): [string, string] {
	const equals = text.indexOf('=');
	const left = equals === -1 ? '' : text.slice(0, equals).trim();
	const right = equals === -1 ? '' : text.slice(equals + 1).trim();
	if (left === '' || right === '') throw new Error(`Invalid ${flag} "${text}": expected ${expected}.`);
	return [left, right];
}

function milliseconds(text: string, flag: string): number {
	if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new Error(`Invalid ${flag} "${text}": expected milliseconds, at least 1.`);
	return Number(text);
}

/**
 * Paths on the command line are relative to the current folder (as a shell user expects), while settings are
 * relative to the served folder: the CLI makes them absolute before starting. It also picks the certificate cache.
 */
export function resolveCliPaths<T extends ExtraSettings>(settings: T, cwd: string, env: NodeJS.ProcessEnv = process.env): T {
	const https = settings.https && {
		...settings.https,
		cert: settings.https.cert === undefined ? undefined : path.resolve(cwd, settings.https.cert),
		key: settings.https.key === undefined ? undefined : path.resolve(cwd, settings.https.key),
		certDir: settings.https.certDir ?? defaultCertDir(env),
	};
	const mounts = settings.mounts?.map((mount) => ({ ...mount, dir: path.resolve(cwd, mount.dir) }));
	return { ...settings, https, mounts };
}

import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { DEFAULT_HANDLER_SETTINGS, DEFAULT_SETTINGS, type ServerSettings } from '../protocol/settings';
import { EXTRA_OPTIONS, EXTRAS_USAGE, expandSpaFlag, parseExtraArgs } from './cliExtrasArgs';

export interface CliOptions extends ServerSettings {
	directory: string;
	quiet: boolean;
	logHeaders: boolean;
}

export type CliCommand =
	| { kind: 'serve'; options: CliOptions }
	| { kind: 'help' }
	| { kind: 'version' }
	| { kind: 'error'; message: string };

export const USAGE = `Usage: live-dev-server [port] [options]

Serve a folder over HTTP with live reload (like "python -m http.server", plus a lot more).

Arguments:
  port                   port to listen on (default ${DEFAULT_SETTINGS.port}; the next free one is taken if it is busy;
                         0 picks any free port)

Options:
  -b, --bind ADDR        address to bind (default ${DEFAULT_SETTINGS.host}; use 0.0.0.0 or :: to allow other machines)
  -d, --directory DIR    folder to serve (default: the current folder)
      --allow-host NAME  also accept this Host header (repeatable; ".example.test" allows subdomains, "*" all)
      --allow-dotfile N  serve this dot-named file or folder, e.g. .well-known (repeatable)
      --no-reload        do not inject the live-reload client or watch for changes
      --ignore GLOB      changes matching GLOB never reload pages (repeatable; default node_modules and .git)
      --debounce MS      quiet time that ends a burst of changes (default ${DEFAULT_SETTINGS.debounceMs} ms)
      --handlers         run dynamic handlers: TypeScript/JavaScript files under api/ answer requests
                         (api/time.ts -> /api/time). Off unless given: handlers execute code from the folder
      --handlers-dir DIR handlers folder inside the served folder (default ${DEFAULT_HANDLER_SETTINGS.dir}; implies --handlers)
      --handler-timeout MS  answer 504 and restart the worker when a handler takes longer (default ${DEFAULT_HANDLER_SETTINGS.timeoutMs})
  -q, --quiet            do not print a line per request
      --log-headers      print request and response headers under each request line
  -h, --help             show this help
  -v, --version          show the version
${EXTRAS_USAGE}`;

/** Parses argv (without the node and script entries) into a command. Pure: no I/O, no process exit. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
	let parsed;
	try {
		parsed = parseArgs({
			args: expandSpaFlag(argv),
			allowPositionals: true,
			strict: true,
			options: {
				bind: { type: 'string', short: 'b' },
				directory: { type: 'string', short: 'd' },
				'allow-host': { type: 'string', multiple: true },
				'allow-dotfile': { type: 'string', multiple: true },
				'no-reload': { type: 'boolean' },
				ignore: { type: 'string', multiple: true },
				debounce: { type: 'string' },
				handlers: { type: 'boolean' },
				'handlers-dir': { type: 'string' },
				'handler-timeout': { type: 'string' },
				quiet: { type: 'boolean', short: 'q' },
				'log-headers': { type: 'boolean' },
				help: { type: 'boolean', short: 'h' },
				version: { type: 'boolean', short: 'v' },
				...EXTRA_OPTIONS,
			},
		});
	} catch (error) {
		return { kind: 'error', message: (error as Error).message };
	}
	const { values, positionals } = parsed;
	if (values.help) return { kind: 'help' };
	if (values.version) return { kind: 'version' };
	if (positionals.length > 1) return { kind: 'error', message: `Expected at most one port, got: ${positionals.join(' ')}` };

	let port = DEFAULT_SETTINGS.port;
	const portText = positionals[0];
	if (portText !== undefined) {
		if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
			return { kind: 'error', message: `Invalid port "${portText}": expected a number from 0 to 65535.` };
		}
		port = Number(portText);
	}

	const host = values.bind ?? DEFAULT_SETTINGS.host;
	if (!isValidBindAddress(host)) return { kind: 'error', message: `Invalid bind address "${host}": expected an IP address (IPv4 octets are 0-255) or a host name.` };

	const directory = values.directory ?? '.';
	if (directory.trim() === '') return { kind: 'error', message: 'The directory must not be empty.' };

	const dotfiles = values['allow-dotfile'] ?? [];
	const badDotfile = dotfiles.find((name) => !/^\.[^/\\]+$/.test(name) || name === '..');
	if (badDotfile !== undefined) return { kind: 'error', message: `Invalid --allow-dotfile "${badDotfile}": expected one dot-named file or folder, like .well-known.` };

	let debounceMs = DEFAULT_SETTINGS.debounceMs;
	if (values.debounce !== undefined) {
		if (!/^\d{1,5}$/.test(values.debounce)) return { kind: 'error', message: `Invalid --debounce "${values.debounce}": expected milliseconds (0-99999).` };
		debounceMs = Number(values.debounce);
	}

	const handlersDir = values['handlers-dir'] ?? DEFAULT_HANDLER_SETTINGS.dir;
	if (handlersDir.trim() === '' || /^(\.[\/]?)?$/.test(handlersDir.trim())) return { kind: 'error', message: 'The handlers folder must be a subfolder of the served folder.' };
	let timeoutMs = DEFAULT_HANDLER_SETTINGS.timeoutMs;
	const timeoutText = values['handler-timeout'];
	if (timeoutText !== undefined) {
		if (!/^\d{1,9}$/.test(timeoutText) || Number(timeoutText) < 1) return { kind: 'error', message: `Invalid --handler-timeout "${timeoutText}": expected milliseconds, at least 1.` };
		timeoutMs = Number(timeoutText);
	}

	const extras = parseExtraArgs(values);
	if (!extras.ok) return { kind: 'error', message: extras.message };

	return {
		kind: 'serve',
		options: {
			...DEFAULT_SETTINGS,
			...extras.settings,
			port,
			portExplicit: portText !== undefined,
			host,
			directory,
			allowedHosts: values['allow-host'] ?? [],
			dotfilesAllow: [...DEFAULT_SETTINGS.dotfilesAllow, ...dotfiles],
			reload: !(values['no-reload'] ?? false),
			debounceMs,
			ignore: [...DEFAULT_SETTINGS.ignore, ...(values.ignore ?? [])],
			handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: values.handlers === true || values['handlers-dir'] !== undefined, dir: handlersDir, timeoutMs },
			quiet: values.quiet ?? false,
			logHeaders: values['log-headers'] ?? false,
		},
	};
}

function isValidBindAddress(host: string): boolean {
	if (isIP(host) !== 0) return true;
	// A name whose last label is a number is an IPv4 literal (as URLs read it: "999.1.1.1", "1.2.3", "10.0x1"),
	// and isIP said it is not a valid one; the resolver would otherwise fail later, or read it another way.
	if (/(^|\.)(\d+|0x[0-9a-f]*)$/i.test(host)) return false;
	return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host);
}

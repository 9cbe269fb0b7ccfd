import * as fs from 'node:fs';
import * as path from 'node:path';
import { SettingsError } from '../features/settingsError';
import { normalizePrefix } from '../features/urlPrefix';
import { isPathInside } from '../http/resolvePath';
import type { CgiSettings } from '../protocol/settings';

/** Validated CGI settings. */
export interface CgiConfig {
	/** URL folders, lower-cased, without trailing slashes (`/cgi-bin`). */
	dirs: string[];
	timeoutMs: number;
	/** `.php` -> `['php-cgi']`, `.py` -> `['python3', '-u']`: program and arguments. Extensions lower-cased with their dot. */
	interpreters: Map<string, string[]>;
}

export function compileCgiSettings(settings: CgiSettings): CgiConfig {
	const dirs = settings.dirs.map((dir, index) => normalizePrefix(dir, `cgi.dirs[${index}]`, { allowRoot: false }).toLowerCase());
	if (dirs.length === 0) throw new SettingsError('cgi.dirs', 'CGI is on but no CGI folder is configured (default /cgi-bin).');
	if (!Number.isInteger(settings.timeoutMs) || settings.timeoutMs < 1) throw new SettingsError('cgi.timeoutMs', `Invalid CGI timeout ${settings.timeoutMs}: expected milliseconds, at least 1.`);
	const interpreters = new Map<string, string[]>();
	for (const [extension, command] of Object.entries(settings.interpreters ?? {})) {
		const ext = extension.startsWith('.') ? extension.toLowerCase() : `.${extension.toLowerCase()}`;
		if (!/^\.[a-z0-9]+$/.test(ext)) throw new SettingsError('cgi.interpreters', `Invalid file extension "${extension}" for a CGI interpreter (expected e.g. .php).`);
		if (String(command ?? '').trim() === '') throw new SettingsError('cgi.interpreters', `No interpreter command for ${ext}.`);
		interpreters.set(ext, splitCommand(String(command).trim(), ext));
	}
	return { dirs, timeoutMs: settings.timeoutMs, interpreters };
}

/**
 * An interpreter command as program and arguments (`python3 -u`), split on whitespace, with double quotes for a
 * program or argument that contains spaces (`"C:\\Program Files\\PHP\\php-cgi.exe" -c php.ini`). No shell: no
 * variables, globs or escapes. A whole command that names an existing file is taken as it is, spaces included.
 */
export function splitCommand(command: string, ext: string, isFile = (file: string) => fs.existsSync(file)): string[] {
	if (!command.includes('"') && /\s/.test(command) && path.isAbsolute(command) && isFile(command)) return [command];
	const words: string[] = [];
	const pattern = /"([^"]*)"|([^\s"]+)|(")/g;
	for (let match = pattern.exec(command); match !== null; match = pattern.exec(command)) {
		if (match[3] !== undefined) throw new SettingsError('cgi.interpreters', `Unbalanced quote in the interpreter for ${ext}: ${command}`);
		words.push(match[1] ?? match[2]!);
	}
	if (words.length === 0 || words[0] === '') throw new SettingsError('cgi.interpreters', `No interpreter program for ${ext}.`);
	return words;
}

/** The CGI folder a normalized URL path is in (compared case-insensitively), or undefined. */
export function cgiDirFor(config: CgiConfig, normalizedPath: string): string | undefined {
	const lower = normalizedPath.toLowerCase();
	return config.dirs.find((dir) => lower === dir || lower.startsWith(dir + '/'));
}

export type ScriptLookup =
	| { ok: true; file: string; scriptName: string; pathInfo: string }
	| { ok: false; status: 403 | 404; reason: string };

/**
 * Finds the script a request path names: the first path segment below the CGI folder that is a file. What follows it
 * is PATH_INFO (`/cgi-bin/app.py/users/7` runs app.py with PATH_INFO `/users/7`). Folders are never listed.
 */
export async function findScript(root: string, realRoot: string, decodedSegments: readonly string[], dirDepth: number): Promise<ScriptLookup> {
	for (let index = dirDepth; index < decodedSegments.length; index++) {
		const file = path.join(root, ...decodedSegments.slice(0, index + 1));
		let stat: fs.Stats;
		try {
			stat = await fs.promises.stat(file);
		} catch {
			return { ok: false, status: 404, reason: 'No CGI script at this path.' };
		}
		if (stat.isDirectory()) continue;
		if (!stat.isFile()) return { ok: false, status: 403, reason: 'Not a regular file.' };
		let real: string;
		try {
			real = await fs.promises.realpath(file);
		} catch {
			return { ok: false, status: 404, reason: 'No CGI script at this path.' };
		}
		if (!isPathInside(realRoot, real)) return { ok: false, status: 403, reason: 'The script resolves (through a symbolic link) outside the served folder.' };
		const rest = decodedSegments.slice(index + 1);
		return { ok: true, file, scriptName: '/' + decodedSegments.slice(0, index + 1).join('/'), pathInfo: rest.length ? '/' + rest.join('/') : '' };
	}
	return { ok: false, status: 403, reason: 'CGI folders are not listed.' };
}

/** How to run a script: its mapped interpreter, or the file itself (needs the executable bit and a #! line). */
export async function scriptCommand(config: CgiConfig, file: string): Promise<{ ok: true; command: string; args: string[] } | { ok: false; reason: string }> {
	const interpreter = config.interpreters.get(path.extname(file).toLowerCase());
	if (interpreter !== undefined) return { ok: true, command: interpreter[0]!, args: [...interpreter.slice(1), file] };
	if (process.platform === 'win32') {
		return { ok: false, reason: `Windows cannot run ${path.basename(file)} by itself: map its extension to an interpreter (cgi.interpreters, --cgi-interpreter).` };
	}
	try {
		await fs.promises.access(file, fs.constants.X_OK);
	} catch {
		return { ok: false, reason: `${path.basename(file)} is not executable: chmod +x it (with a #! line), or map its extension to an interpreter (cgi.interpreters, --cgi-interpreter).` };
	}
	return { ok: true, command: file, args: [] };
}

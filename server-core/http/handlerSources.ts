import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPathInside } from './resolvePath';

/** Windows and macOS file systems ignore case by default: `API/Secret.TS` is `api/secret.ts` there. */
const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

/**
 * Whether a real path (symlinks resolved) is handler source code: a file with one of `extensions` inside the
 * real handlers folder. The handler stage hides such files by URL; this catches the other ways to reach them
 * (`apilink -> api`, `secret.ts -> api/_secret.ts`, a mount of the folder).
 */
export function createHandlerSourceCheck(handlersDir: string, extensions: readonly string[]): (realPath: string) => boolean {
	const fold = (text: string) => (CASE_INSENSITIVE ? text.toLowerCase() : text);
	return (realPath) => {
		if (!extensions.includes(path.extname(realPath).toLowerCase())) return false;
		// Resolved on each call (cheap, and only for uncached source-like files): the folder may be created,
		// replaced or turned into a link while the server runs.
		return isPathInside(fold(realHandlersDir(handlersDir)), fold(realPath));
	};
}

function realHandlersDir(handlersDir: string): string {
	try {
		return fs.realpathSync.native(handlersDir);
	} catch {
		return handlersDir;
	}
}

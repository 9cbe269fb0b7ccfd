import * as path from 'node:path';

/** Where a URL path points inside the served root, or why it may not be served. */
export type ResolvedPath =
	| { ok: true; absolutePath: string; /** Decoded URL path, always starting with `/`. */ decodedPath: string }
	| { ok: false; status: 400 | 403; reason: string };

export interface ResolveOptions {
	/** Dot-named segments that may be served (e.g. `.well-known`); every other dot segment is refused. */
	dotfilesAllow: readonly string[];
	/** Path flavour, injectable so the Windows rules are tested on every platform. */
	pathApi?: path.PlatformPath;
}

/**
 * Maps the path part of a request target to a file under `root` (pure, no file-system access).
 *
 * Order matters: decode exactly once, then judge the decoded text, so `%2e%2e`, `%2f..` and `%00`
 * are caught by the same checks as their literal forms. Symlinks are checked afterwards by `isRealPathInside`.
 */
export function resolveRequestPath(root: string, urlPath: string, options: ResolveOptions): ResolvedPath {
	const api = options.pathApi ?? path;
	let decoded: string;
	try {
		decoded = decodeURIComponent(urlPath);
	} catch {
		return { ok: false, status: 400, reason: 'The path is not valid percent-encoded UTF-8.' };
	}
	if (!decoded.startsWith('/')) return { ok: false, status: 400, reason: 'The path must start with "/".' };
	if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'The path contains a NUL byte.' };
	// A backslash is a separator on Windows and never appears in URLs a browser builds; refuse it everywhere.
	if (decoded.includes('\\')) return { ok: false, status: 400, reason: 'The path contains a backslash.' };

	for (const segment of decoded.split('/')) {
		if (segment === '..') return { ok: false, status: 403, reason: 'The path leaves the served folder ("..").' };
		if (isDeniedDotSegment(segment, options.dotfilesAllow)) {
			return { ok: false, status: 403, reason: `"${segment}" is a dotfile; dotfiles are not served unless allowed.` };
		}
		// Drive letters and NTFS alternate data streams ("file.txt::$DATA") are Windows-only escapes.
		if (api.sep === '\\' && segment.includes(':')) {
			return { ok: false, status: 400, reason: 'The path contains ":".' };
		}
	}

	const absolutePath = api.join(root, decoded);
	// With ".." refused above the join cannot climb out; this cheap prefix test is the second line of defence.
	const prefix = root.endsWith(api.sep) ? root : root + api.sep;
	if (absolutePath !== root && !absolutePath.startsWith(prefix)) {
		return { ok: false, status: 403, reason: 'The path leaves the served folder.' };
	}
	return { ok: true, absolutePath, decodedPath: decoded };
}

/** A dot-named file or folder that is not on the allow-list (`.` itself is not a name). */
export function isDeniedDotSegment(segment: string, dotfilesAllow: readonly string[]): boolean {
	return segment.startsWith('.') && segment !== '.' && !dotfilesAllow.includes(segment);
}

/**
 * The first denied dot-named segment of a path relative to the root, or undefined. Applied to the real path
 * too, so a symlink with an ordinary name (`envlink -> .env`) does not get around the dotfile rule.
 */
export function findDeniedDotSegment(relativePath: string, dotfilesAllow: readonly string[], api: path.PlatformPath = path): string | undefined {
	return relativePath.split(api.sep).find((segment) => isDeniedDotSegment(segment, dotfilesAllow));
}

/** Separator-aware containment: `/srv/site2` is not inside `/srv/site` (a `startsWith` test would say it is). */
export function isPathInside(root: string, candidate: string, api: path.PlatformPath = path): boolean {
	const relative = api.relative(root, candidate);
	if (relative === '') return true;
	if (api.isAbsolute(relative)) return false;
	return relative !== '..' && !relative.startsWith('..' + api.sep);
}

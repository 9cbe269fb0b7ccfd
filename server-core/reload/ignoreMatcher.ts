import * as path from 'node:path';
import picomatch from 'picomatch';

export const DEFAULT_IGNORE_GLOBS: readonly string[] = ['**/node_modules', '**/.git'];

/**
 * A predicate over root-relative, `/`-separated paths: true when the path or any folder above it matches one
 * of the globs, so `**\/node_modules` ignores everything inside node_modules as well. Globs read as in
 * .gitignore: one without a slash (`*.log`, `dist`) matches that name at any depth; one with a slash
 * (`docs/generated`, `/build`) is anchored at the served folder; a trailing slash is dropped (folders and files
 * cannot be told apart from a change event).
 */
export function createIgnoreMatcher(globs: readonly string[]): (relativePath: string) => boolean {
	const patterns = globs.map(toRootRelativeGlob).filter((glob) => glob !== '');
	if (patterns.length === 0) return () => false;
	const matches = picomatch(patterns, { dot: true });
	return (relativePath) => {
		let path = relativePath;
		for (;;) {
			if (matches(path)) return true;
			const slash = path.lastIndexOf('/');
			if (slash <= 0) return false;
			path = path.slice(0, slash);
		}
	};
}

/** The same predicate over absolute paths below `root` (the root itself is never ignored). */
export function ignoredUnder(root: string, isIgnored: (relativePath: string) => boolean): (absolutePath: string) => boolean {
	return (absolutePath) => {
		const relative = path.relative(root, absolutePath);
		return relative !== '' && isIgnored(relative.split(path.sep).join('/'));
	};
}

function toRootRelativeGlob(glob: string): string {
	const trimmed = glob.trim().replace(/\/+$/, '');
	if (trimmed.startsWith('/')) return trimmed.replace(/^\/+/, '');
	return trimmed.includes('/') ? trimmed : `**/${trimmed}`;
}

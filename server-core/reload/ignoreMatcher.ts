import picomatch from 'picomatch';

export const DEFAULT_IGNORE_GLOBS: readonly string[] = ['**/node_modules', '**/.git'];

/**
 * A predicate over root-relative, `/`-separated paths: true when the path or any folder above it matches one
 * of the globs, so `**\/node_modules` ignores everything inside node_modules as well.
 */
export function createIgnoreMatcher(globs: readonly string[]): (relativePath: string) => boolean {
	if (globs.length === 0) return () => false;
	const matches = picomatch([...globs], { dot: true });
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

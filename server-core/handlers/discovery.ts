/** One part of a route pattern. */
export type RouteSegment =
	| { kind: 'static'; value: string }
	| { kind: 'param'; name: string }
	| { kind: 'rest'; name: string };

/** A handler file and the URL paths it answers. */
export interface Route {
	/** Path of the handler file relative to the handlers folder, with `/` separators (e.g. `users/[id].ts`). */
	file: string;
	/** Display form, e.g. `/api/users/:id` or `/api/files/*path`. */
	pattern: string;
	segments: RouteSegment[];
}

export interface Discovery {
	/** Most specific first: the router takes the first match. */
	routes: Route[];
	/** Files that map to a route another file already claimed (`time.ts` and `time/index.ts`). */
	shadowed: { file: string; by: string }[];
}

/** Extensions that are handler entry points; the order breaks ties between files claiming the same route. */
export const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** Files under the handlers folder that are source code, never served as static files (entry points and helpers). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.map'];

/** Folders never scanned: dependencies and build output do not define routes. */
const SKIPPED_FOLDERS = new Set(['node_modules']);

/**
 * Whether a path relative to the handlers folder can define a route. Not: `_`-prefixed files or folders (helpers),
 * dotfiles, `*.test.*` / `*.spec.*`, declaration files, other extensions.
 */
export function isRouteFile(relativePath: string): boolean {
	const parts = relativePath.split('/');
	if (parts.some((part) => part === '' || part.startsWith('_') || part.startsWith('.') || SKIPPED_FOLDERS.has(part))) return false;
	const name = parts[parts.length - 1]!;
	if (!HANDLER_EXTENSIONS.some((extension) => name.endsWith(extension))) return false;
	if (/\.d\.m?ts$/.test(name) || /\.(test|spec)\.[^.]+$/.test(name)) return false;
	return stem(name) !== '';
}

/**
 * File-based routing, pure over a file list: `time.ts` -> `<prefix>/time`, `users/[id].ts` -> `<prefix>/users/:id`,
 * `index.ts` -> the folder itself, `files/[...path].ts` -> everything below `<prefix>/files/`.
 * `prefix` is the URL path of the handlers folder (`/api`).
 */
export function discoverRoutes(files: readonly string[], prefix: string): Discovery {
	const prefixSegments: RouteSegment[] = prefix.split('/').filter((part) => part !== '').map((value) => ({ kind: 'static', value }));
	const candidates = files
		.filter(isRouteFile)
		.map((file) => ({ file, segments: [...prefixSegments, ...fileSegments(file)] }))
		.filter((candidate) => isValidPattern(candidate.segments))
		.sort((a, b) => compareSegments(a.segments, b.segments) || compareFiles(a.file, b.file));

	const routes: Route[] = [];
	const shadowed: Discovery['shadowed'] = [];
	const claimed = new Map<string, string>();
	for (const candidate of candidates) {
		const shape = shapeKey(candidate.segments);
		const owner = claimed.get(shape);
		if (owner !== undefined) {
			shadowed.push({ file: candidate.file, by: owner });
			continue;
		}
		claimed.set(shape, candidate.file);
		routes.push({ file: candidate.file, pattern: formatPattern(candidate.segments), segments: candidate.segments });
	}
	return { routes, shadowed };
}

function stem(name: string): string {
	const extension = HANDLER_EXTENSIONS.find((candidate) => name.endsWith(candidate)) ?? '';
	return name.slice(0, name.length - extension.length);
}

function fileSegments(file: string): RouteSegment[] {
	const parts = file.split('/');
	parts[parts.length - 1] = stem(parts[parts.length - 1]!);
	if (parts[parts.length - 1] === 'index') parts.pop();
	return parts.map(parseSegment);
}

function parseSegment(part: string): RouteSegment {
	const rest = /^\[\.\.\.([^[\]/]+)\]$/.exec(part);
	if (rest) return { kind: 'rest', name: rest[1]! };
	const param = /^\[([^[\].\/][^[\]/]*)\]$/.exec(part);
	if (param) return { kind: 'param', name: param[1]! };
	return { kind: 'static', value: part };
}

/** A catch-all must come last, and a parameter name may appear only once. */
function isValidPattern(segments: readonly RouteSegment[]): boolean {
	const names = new Set<string>();
	for (let index = 0; index < segments.length; index++) {
		const segment = segments[index]!;
		if (segment.kind === 'static') continue;
		if (segment.kind === 'rest' && index !== segments.length - 1) return false;
		if (names.has(segment.name)) return false;
		names.add(segment.name);
	}
	return true;
}

const RANK = { static: 0, param: 1, rest: 2 } as const;

/** Static segments before parameters before catch-alls, position by position; then the longer route first. */
function compareSegments(a: readonly RouteSegment[], b: readonly RouteSegment[]): number {
	for (let index = 0; index < Math.min(a.length, b.length); index++) {
		const left = a[index]!;
		const right = b[index]!;
		if (left.kind !== right.kind) return RANK[left.kind] - RANK[right.kind];
		if (left.kind === 'static' && right.kind === 'static' && left.value !== right.value) return left.value < right.value ? -1 : 1;
	}
	return b.length - a.length;
}

/** Same route from two files: `time.ts` beats `time/index.ts`, and `.ts` beats `.mts`, `.js`, `.mjs`. */
function compareFiles(a: string, b: string): number {
	const depth = a.split('/').length - b.split('/').length;
	if (depth !== 0) return depth;
	const rank = (file: string) => HANDLER_EXTENSIONS.findIndex((extension) => file.endsWith(extension));
	return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Routes with the same shape match the same paths (`[id]` and `[slug]` in one folder). */
function shapeKey(segments: readonly RouteSegment[]): string {
	return segments.map((segment) => (segment.kind === 'static' ? `s:${segment.value}` : segment.kind)).join('/');
}

function formatPattern(segments: readonly RouteSegment[]): string {
	const parts = segments.map((segment) => {
		switch (segment.kind) {
			case 'static':
				return segment.value;
			case 'param':
				return `:${segment.name}`;
			case 'rest':
				return `*${segment.name}`;
		}
	});
	return '/' + parts.join('/');
}

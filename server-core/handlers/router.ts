import type { Route } from './discovery';

export interface RouteMatch {
	route: Route;
	/** Decoded once; a catch-all holds the remaining segments joined by `/`. */
	params: Record<string, string>;
}

/**
 * Finds the route for a request path (still percent-encoded), pure. Routes must come most specific first
 * (as `discoverRoutes` sorts them). Each segment is decoded exactly once, after splitting, so `%2F` inside a
 * parameter stays data. Paths with `.`/`..` segments (literal or encoded), empty segments, NUL or broken
 * escapes never match: routing is a table lookup and can never reach a file outside the table.
 */
export function matchRoute(routes: readonly Route[], pathname: string): RouteMatch | undefined {
	const segments = splitPath(pathname);
	if (segments === undefined) return undefined;
	for (const route of routes) {
		const params = matchSegments(route, segments);
		if (params !== undefined) return { route, params };
	}
	return undefined;
}

/** Decoded path segments; one trailing slash is ignored (`/api/time/` is `/api/time`). */
export function splitPath(pathname: string): string[] | undefined {
	if (!pathname.startsWith('/')) return undefined;
	let body = pathname.slice(1);
	if (body.endsWith('/')) body = body.slice(0, -1);
	if (body === '') return [];
	const segments: string[] = [];
	for (const raw of body.split('/')) {
		let segment: string;
		try {
			segment = decodeURIComponent(raw);
		} catch {
			return undefined;
		}
		if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) return undefined;
		segments.push(segment);
	}
	return segments;
}

function matchSegments(route: Route, segments: readonly string[]): Record<string, string> | undefined {
	const params: Record<string, string> = {};
	const pattern = route.segments;
	for (let index = 0; index < pattern.length; index++) {
		const part = pattern[index]!;
		if (part.kind === 'rest') {
			if (index >= segments.length) return undefined; // a catch-all needs at least one segment
			params[part.name] = segments.slice(index).join('/');
			return params;
		}
		const segment = segments[index];
		if (segment === undefined) return undefined;
		if (part.kind === 'static') {
			if (part.value !== segment) return undefined;
		} else {
			params[part.name] = segment;
		}
	}
	return pattern.length === segments.length ? params : undefined;
}

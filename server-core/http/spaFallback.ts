import * as path from 'node:path';
import type { FileSource } from '../documents/fileSource';
import { SettingsError } from '../features/settingsError';
import { viewExchange } from './exchangeView';
import type { RequestStage } from './pipeline';
import { resolveRequestPath } from './resolvePath';
import type { StaticFiles } from './staticFiles';

export interface SpaFallbackOptions {
	root: string;
	/** The fallback file as a URL path, checked by resolveSpaFallback (`/index.html`, `/app/shell.html`). */
	fallbackPath: string;
	staticFiles: StaticFiles;
	source: FileSource;
	dotfilesAllow: readonly string[];
}

/**
 * Single-page-app fallback, tried just before static files: a GET or HEAD for a path that does not exist, whose
 * Accept asks for HTML and whose last segment has no file extension, is answered with the fallback file (200, live
 * reload injected as for any page). Assets (`/app.js`, `/logo.png`) keep their 404, and paths the static server
 * refuses (dotfiles, `..`, bad encoding) are left to it, so the fallback never bypasses a check.
 */
export function createSpaFallbackStage(options: SpaFallbackOptions): RequestStage {
	const target = options.fallbackPath;
	return (exchange) => {
		const { req } = exchange;
		if (req.method !== 'GET' && req.method !== 'HEAD') return false;
		if (!/\btext\/html\b/i.test(String(req.headers.accept ?? ''))) return false;
		const resolved = resolveRequestPath(options.root, exchange.pathname, { dotfilesAllow: options.dotfilesAllow });
		if (!resolved.ok) return false;
		const lastSegment = resolved.decodedPath.slice(resolved.decodedPath.lastIndexOf('/') + 1);
		if (path.posix.extname(lastSegment) !== '') return false;
		if (exists(options.source, resolved.absolutePath)) return false; // the static server answers (a file, a folder, a 403)
		const pending = options.staticFiles.handle(viewExchange(exchange, target, exchange.search));
		return pending === undefined ? true : pending.then(() => true);
	};
}

function exists(source: FileSource, absolutePath: string): boolean {
	try {
		return source.statSync(absolutePath) !== undefined;
	} catch {
		return true; // unreadable (EACCES...): the static server reports it
	}
}

/**
 * The fallback file (relative to the root: `index.html`) as a URL path, checked like any request path (inside the
 * root, no dotfiles) and present now: a missing one would turn every page route into a 404 without a word.
 */
export function resolveSpaFallback(file: string, root: string, source: FileSource, dotfilesAllow: readonly string[]): string {
	const relative = String(file ?? '').trim().replace(/\\/g, '/').replace(/^\/+/, '');
	const urlPath = '/' + relative.split('/').map(encodeURIComponent).join('/');
	const resolved = resolveRequestPath(root, urlPath, { dotfilesAllow });
	if (relative === '' || relative.endsWith('/') || !resolved.ok) {
		throw new SettingsError('spa', `Invalid SPA fallback file "${file}": expected a file inside the served folder, like index.html.`);
	}
	let kind: string | undefined;
	try {
		kind = source.statSync(resolved.absolutePath)?.kind;
	} catch {
		kind = undefined;
	}
	if (kind !== 'file') {
		throw new SettingsError('spa', `The SPA fallback file ${resolved.absolutePath} ${kind === undefined ? 'does not exist' : 'is not a file'}: every unknown page would be a 404. Create it, or name the app's HTML file (--spa=FILE, liveDevServer.spa).`);
	}
	return urlPath;
}

import * as path from 'node:path';
import { isDeniedDotSegment } from '../http/resolvePath';
import type { FileChange } from './changeSource';

/** What a batch of changes means for open pages. URL paths are decoded (`/my page.html`). */
export interface ReloadPlan {
	/** Stylesheets that can be swapped in place. */
	stylesheets: string[];
	/** HTML documents that changed: only pages showing them need a reload. */
	documents: string[];
	/** Something else changed (scripts, images, data, deletions of folders...): every page may be affected. */
	reloadAll: boolean;
}

export interface ClassifyOptions {
	root: string;
	/** Root-relative `/`-separated path → true when changes there never matter (node_modules, .git...). */
	isIgnored: (relativePath: string) => boolean;
	dotfilesAllow: readonly string[];
	pathApi?: path.PlatformPath;
}

const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

/** Turns file changes into a reload plan (pure). Returns undefined when nothing served changed. */
export function classifyChanges(changes: readonly FileChange[], options: ClassifyOptions): ReloadPlan | undefined {
	const api = options.pathApi ?? path;
	const plan: ReloadPlan = { stylesheets: [], documents: [], reloadAll: false };
	let relevant = false;
	for (const change of changes) {
		const relative = api.relative(options.root, change.path);
		if (relative === '' || relative.startsWith('..') || api.isAbsolute(relative)) continue;
		const urlRelative = relative.split(api.sep).join('/');
		if (options.isIgnored(urlRelative) || isHiddenPath(urlRelative, options.dotfilesAllow)) continue;
		relevant = true;
		const urlPath = '/' + urlRelative;
		const extension = api.extname(change.path).toLowerCase();
		if (extension === '.css' && change.kind !== 'deleted') plan.stylesheets.push(urlPath);
		else if (HTML_EXTENSIONS.has(extension) && change.kind === 'changed') plan.documents.push(urlPath);
		else plan.reloadAll = true; // includes new and deleted pages: listings and links change
	}
	return relevant ? plan : undefined;
}

function isHiddenPath(urlRelative: string, allowed: readonly string[]): boolean {
	return urlRelative.split('/').some((segment) => isDeniedDotSegment(segment, allowed));
}

/**
 * The HTML documents a page at `pagePath` (a decoded location.pathname) may be showing:
 * `/docs/` shows `/docs/index.html` or `/docs/index.htm`; `/a.html` shows itself.
 */
export function documentsShownAt(pagePath: string): string[] {
	if (pagePath.endsWith('/')) return [`${pagePath}index.html`, `${pagePath}index.htm`];
	return [pagePath];
}

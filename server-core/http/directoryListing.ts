import type { DirectoryEntry } from '../documents/fileSource';
import { escapeHtml } from './htmlEscape';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Folders first, then natural order ("file2" before "file10"), case-insensitive. */
export function sortEntries(entries: readonly DirectoryEntry[]): DirectoryEntry[] {
	return [...entries].sort((a, b) => {
		const aFolder = a.kind === 'directory';
		const bFolder = b.kind === 'directory';
		if (aFolder !== bFolder) return aFolder ? -1 : 1;
		return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
	});
}

export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function formatDate(ms: number): string {
	const date = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Breadcrumb links for each folder of the (decoded) path, so every level is one click away. */
function renderBreadcrumbs(decodedPath: string): string {
	const segments = decodedPath.split('/').filter((segment) => segment.length > 0);
	let href = '/';
	const crumbs = [`<a href="/">/</a>`];
	for (const segment of segments) {
		href += encodeURIComponent(segment) + '/';
		crumbs.push(`<a href="${escapeHtml(href)}">${escapeHtml(segment)}/</a>`);
	}
	return crumbs.join('');
}

function renderRow(entry: DirectoryEntry): string {
	const folder = entry.kind === 'directory';
	const suffix = folder ? '/' : '';
	// The name is percent-encoded for the link and HTML-escaped for display: "<a>&b?.html" stays a file name.
	const href = escapeHtml(encodeURIComponent(entry.name) + suffix);
	const size = folder ? '—' : `<span title="${entry.size} bytes">${formatSize(entry.size)}</span>`;
	const modified = entry.mtimeMs > 0 ? `<time datetime="${new Date(entry.mtimeMs).toISOString()}">${formatDate(entry.mtimeMs)}</time>` : '—';
	return `<tr class="${folder ? 'folder' : 'file'}"><td><a href="${href}">${escapeHtml(entry.name + suffix)}</a></td><td>${size}</td><td>${modified}</td></tr>`;
}

/** Everything of the entries a listing page shows, as one string: equal strings render equal pages. */
export function listingFingerprint(entries: readonly DirectoryEntry[]): string {
	let text = '';
	// NUL cannot occur in file names, so the fields cannot run into each other.
	for (const entry of entries) text += `${entry.name}\0${entry.kind}\0${entry.size}\0${entry.mtimeMs}\0`;
	return text;
}

/** A directory listing page: sorted, folders first, every name escaped and every link encoded. */
export function renderDirectoryListing(decodedPath: string, entries: readonly DirectoryEntry[]): string {
	const title = `Index of ${escapeHtml(decodedPath)}`;
	const parent = decodedPath === '/' ? '' : '<tr class="folder parent"><td><a href="../">../</a></td><td></td><td></td></tr>';
	const rows = sortEntries(entries).map(renderRow).join('\n');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.25rem; font-weight: 600; overflow-wrap: anywhere; }
h1 a { text-decoration: none; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent); }
th { font-weight: 600; opacity: .7; }
td:nth-child(2), th:nth-child(2) { text-align: right; white-space: nowrap; }
td:nth-child(3) { white-space: nowrap; opacity: .8; }
tr:hover td { background: color-mix(in srgb, CanvasText 5%, transparent); }
td:first-child a { overflow-wrap: anywhere; }
tr.folder td:first-child a::before { content: "\\1F4C1\\FE0E  "; }
tr.file td:first-child a::before { content: "\\1F4C4\\FE0E  "; }
footer { margin-top: 1.5rem; font-size: .8rem; opacity: .6; }
</style>
</head>
<body>
<h1>Index of ${renderBreadcrumbs(decodedPath)}</h1>
<table>
<thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead>
<tbody>
${parent}${parent ? '\n' : ''}${rows}
</tbody>
</table>
<footer>${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} · Live Dev Server</footer>
</body>
</html>
`;
}

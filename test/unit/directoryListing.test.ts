import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryEntry } from '../../server-core/documents/fileSource';
import { formatSize, listingFingerprint, renderDirectoryListing, sortEntries } from '../../server-core/http/directoryListing';

const file = (name: string, size = 10): DirectoryEntry => ({ name, kind: 'file', size, mtimeMs: Date.UTC(2026, 0, 2, 3, 4) });
const folder = (name: string): DirectoryEntry => ({ name, kind: 'directory', size: 4096, mtimeMs: Date.UTC(2026, 0, 2, 3, 4) });

describe('sortEntries', () => {
	it('puts folders first, then natural, case-insensitive order', () => {
		const sorted = sortEntries([file('b.txt'), file('file10.txt'), folder('zeta'), file('File2.txt'), folder('Alpha'), file('a.txt')]);
		assert.deepEqual(sorted.map((entry) => entry.name), ['Alpha', 'zeta', 'a.txt', 'b.txt', 'File2.txt', 'file10.txt']);
	});
});

describe('renderDirectoryListing', () => {
	it('escapes names in text and percent-encodes them in links', () => {
		const hostile = '<img src=x onerror=alert(1)>&"\'.html';
		const html = renderDirectoryListing('/a&b/<dir>/', [file(hostile), folder('sp ace#?')]);
		assert.ok(!html.includes('<img src=x'), 'raw markup from a file name must not appear');
		assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;.html'));
		assert.ok(html.includes(`href="${encodeURIComponent(hostile).replace(/'/g, '&#39;')}"`));
		assert.ok(html.includes('href="sp%20ace%23%3F/"'), 'folders link with a trailing slash and encoded name');
		assert.ok(html.includes('<title>Index of /a&amp;b/&lt;dir&gt;/</title>'));
		assert.ok(!html.includes('<dir>'));
	});

	it('shows a parent link except at the root, and sizes and dates', () => {
		assert.ok(renderDirectoryListing('/sub/', [file('a.txt', 2048)]).includes('href="../"'));
		const rootHtml = renderDirectoryListing('/', [file('a.txt', 2048)]);
		assert.ok(!rootHtml.includes('href="../"'));
		assert.ok(rootHtml.includes('2.0 KiB'));
		assert.ok(rootHtml.includes('title="2048 bytes"'));
		assert.ok(rootHtml.includes('datetime="2026-01-02T03:04:00.000Z"'));
	});

	it('lists folders before files in the markup', () => {
		const html = renderDirectoryListing('/', [file('a.txt'), folder('z')]);
		assert.ok(html.indexOf('href="z/"') < html.indexOf('href="a.txt"'));
	});
});

describe('formatSize', () => {
	it('uses binary units', () => {
		assert.equal(formatSize(0), '0 B');
		assert.equal(formatSize(1023), '1023 B');
		assert.equal(formatSize(1536), '1.5 KiB');
		assert.equal(formatSize(10 * 1024 * 1024), '10 MiB');
	});
});

describe('listingFingerprint', () => {
	it('changes with anything a listing shows, and only then', () => {
		const entries = [file('a.txt'), folder('sub')];
		const same = listingFingerprint([file('a.txt'), folder('sub')]);
		assert.equal(listingFingerprint(entries), same);
		const variants = [
			[file('a.txt', 11), folder('sub')],
			[{ ...file('a.txt'), mtimeMs: 1 }, folder('sub')],
			[file('b.txt'), folder('sub')],
			[{ ...file('a.txt'), kind: 'other' as const }, folder('sub')],
			[file('a.txt')],
			[file('a.txt\0file'), folder('sub')],
		];
		for (const variant of variants) assert.notEqual(listingFingerprint(variant), same, JSON.stringify(variant));
	});
});

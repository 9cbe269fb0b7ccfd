import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../server-core/http/mimeType';

describe('contentTypeFor', () => {
	it('uses the mime database with a charset on text types', () => {
		const expected: Record<string, string> = {
			'index.html': 'text/html; charset=utf-8',
			'INDEX.HTM': 'text/html; charset=utf-8',
			'style.css': 'text/css; charset=utf-8',
			'app.js': 'text/javascript; charset=utf-8',
			'mod.mjs': 'text/javascript; charset=utf-8',
			'data.json': 'application/json; charset=utf-8',
			'site.webmanifest': 'application/manifest+json; charset=utf-8',
			'icon.svg': 'image/svg+xml; charset=utf-8',
			'photo.png': 'image/png',
			'clip.mp4': 'video/mp4',
			'font.woff2': 'font/woff2',
			'module.wasm': 'application/wasm',
			'archive.tar.gz': 'application/gzip',
			'README': 'application/octet-stream',
			'file.unknownext': 'application/octet-stream',
		};
		for (const [name, type] of Object.entries(expected)) assert.equal(contentTypeFor(name), type, name);
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injectIntoHtml } from '../../server-core/http/injectScript';
import { relativeClientPath } from '../../server-core/reload/liveProtocol';

const TAG = '<script src="/__live/client.js?t=x"></script>';
const inject = (html: string) => injectIntoHtml(Buffer.from(html, 'latin1'), TAG, '/__live/client.js').toString('latin1');

describe('injectIntoHtml', () => {
	it('goes right after <head>, even with attributes or in upper case', () => {
		assert.equal(inject('<!DOCTYPE html><html><head><title>x</title></head><body></body></html>'), `<!DOCTYPE html><html><head>${TAG}<title>x</title></head><body></body></html>`);
		assert.equal(inject('<HTML><HEAD lang="en"><TITLE>x</TITLE></HEAD></HTML>'), `<HTML><HEAD lang="en">${TAG}<TITLE>x</TITLE></HEAD></HTML>`);
	});

	it('falls back to <body>, then <html>, then the doctype, then the end', () => {
		assert.equal(inject('<body class="a"><p>x</p></body>'), `<body class="a">${TAG}<p>x</p></body>`);
		assert.equal(inject('<html lang="en"><p>x</p></html>'), `<html lang="en">${TAG}<p>x</p></html>`);
		assert.equal(inject('<!doctype html><p>x</p>'), `<!doctype html>${TAG}<p>x</p>`);
		assert.equal(inject('<p>fragment</p>'), `<p>fragment</p>${TAG}`);
		assert.equal(inject(''), TAG);
	});

	it('does not mistake <header> for <head>, nor tags inside comments', () => {
		assert.equal(inject('<body><header>h</header></body>'), `<body>${TAG}<header>h</header></body>`);
		assert.equal(inject('<!-- <head> --><html><head></head></html>'), `<!-- <head> --><html><head>${TAG}</head></html>`);
	});

	it('keeps a UTF-8 BOM and multi-byte text intact', () => {
		const html = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<head></head><p>测试 ✓</p>', 'utf8')]);
		const out = injectIntoHtml(html, TAG, '/__live/client.js');
		assert.deepEqual([...out.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
		assert.equal(out.subarray(3).toString('utf8'), `<head>${TAG}</head><p>测试 ✓</p>`);
		assert.equal(out.length, html.length + Buffer.byteLength(TAG));
	});

	it('leaves UTF-16 documents and already injected pages alone', () => {
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<head></head>', 'utf16le')]);
		assert.equal(injectIntoHtml(utf16, TAG, '/__live/client.js'), utf16);
		const saved = `<head>${TAG}</head>`;
		assert.equal(inject(saved), saved);
	});
});

describe('relativeClientPath', () => {
	it('climbs from the page\'s folder to the root, counting raw slashes as the browser does', () => {
		const cases: [string, string][] = [
			['/', '__live/client.js'],
			['/index.html', '__live/client.js'],
			['/sub', '__live/client.js'],
			['/sub/', '../__live/client.js'],
			['/sub/page.html', '../__live/client.js'],
			['/a/b/c.html', '../../__live/client.js'],
			['/a%2Fb/c.html', '../__live/client.js'],
			['//a//b', '../../../__live/client.js'],
		];
		for (const [pathname, expected] of cases) {
			assert.equal(relativeClientPath(pathname), expected, pathname);
			assert.equal(new URL(expected, `http://h/proxy/5500${pathname}`).pathname, '/proxy/5500/__live/client.js', pathname);
		}
	});
});

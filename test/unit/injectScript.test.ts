import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injectIntoHtml, planInjection } from '../../server-core/http/injectScript';
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

describe('injectIntoHtml on tricky documents', () => {
	it('never takes a tag inside script, style, title or template text, nor inside comments', () => {
		assert.equal(inject('<html><script>document.write("<head>")</script><body><p>x</p>'), `<html><script>document.write("<head>")</script><body>${TAG}<p>x</p>`);
		assert.equal(inject('<style>/* <body> */</style><body>b'), `<style>/* <body> */</style><body>${TAG}b`);
		assert.equal(inject('<!doctype html><title>About <head></title><meta charset="utf-8"><p>x</p>'), `<!doctype html>${TAG}<title>About <head></title><meta charset="utf-8"><p>x</p>`);
		assert.equal(inject('<template><head></template><html><head></head>'), `<template><head></template><html><head>${TAG}</head>`);
		assert.equal(inject('<!-- <head> -- still comment --><!----><html><body>'), `<!-- <head> -- still comment --><!----><html><body>${TAG}`);
		assert.equal(inject('<SCRIPT>a = "</scripts> <head>";</SCRIPT ><head>'), `<SCRIPT>a = "</scripts> <head>";</SCRIPT ><head>${TAG}`);
	});

	it('stops at the first real content: a <head> or <body> later in the text is not the place', () => {
		assert.equal(inject('<!doctype html><h1>Tags</h1><p>Write <body> first</p>'), `<!doctype html>${TAG}<h1>Tags</h1><p>Write <body> first</p>`);
		assert.equal(inject('<html>Hello <head> world'), `<html>${TAG}Hello <head> world`);
		assert.equal(inject('<!doctype html><textarea><head></textarea>'), `<!doctype html>${TAG}<textarea><head></textarea>`);
		assert.equal(inject('plain text <body>'), `plain text <body>${TAG}`);
		assert.equal(inject('<p>a</p><script>var s = "<head>"</script>'), `<p>a</p><script>var s = "<head>"</script>${TAG}`);
	});

	it('reads attributes with quoted ">" and skips an XML declaration and end tags', () => {
		assert.equal(inject('<head data-x="a>b" title=\'c>d\'><title>t</title>'), `<head data-x="a>b" title='c>d'>${TAG}<title>t</title>`);
		assert.equal(inject('<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">\n  <head>'), `<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">\n  <head>${TAG}`);
		assert.equal(inject('<meta charset="utf-8"><title>t</title></head><body>b'), `<meta charset="utf-8"><title>t</title></head><body>${TAG}b`);
	});

	it('appends when a comment or script never ends', () => {
		assert.equal(inject('<!-- <head> unterminated'), `<!-- <head> unterminated${TAG}`);
		assert.equal(inject('<html><script>"<head>"'), `<html>${TAG}<script>"<head>"`);
	});
});

describe('planInjection on the start of a document (streaming)', () => {
	const plan = (html: string, complete: boolean) => planInjection(Buffer.from(html, 'latin1'), '/__live/client.js', complete);

	it('decides as soon as the place is known, and asks for more while it is not', () => {
		assert.equal(plan('<!doctype html><html><head><title>', false), '<!doctype html><html><head>'.length);
		assert.equal(plan('<!doctype html><p>', false), '<!doctype html>'.length);
		assert.equal(plan('<!doctype html><html>', false), undefined, 'a <head> may follow');
		assert.equal(plan('<!-- a long comm', false), undefined);
		assert.equal(plan('<html><script>var a = "</scr', false), undefined);
		assert.equal(plan('<html data-x="a>', false), undefined);
		assert.equal(plan('<html>', true), '<html>'.length);
		assert.equal(plan('<p>fragment', false), 'end');
	});

	it('says when nothing is to be inserted', () => {
		assert.equal(plan(`<head>${TAG}`, false), 'none');
		assert.equal(planInjection(Buffer.from([0xff, 0xfe, 0x3c, 0x00]), '/__live/client.js', false), 'none');
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

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: TestServer;
let big: Buffer;

before(async () => {
	workspace = createTempWorkspace('site');
	big = randomBytes(3 * 1024 * 1024 + 17);
	workspace.write('media/big.bin', big);
	workspace.write('weird/<b>&"x".txt', 'weird');
	workspace.write('weird/sp ace.txt', 'space');
	workspace.write('weird/测试.html', '<p>unicode</p>');
	workspace.write('weird/.hidden', 'hidden');
	workspace.write('big.js', 'console.log("x");\n'.repeat(60_000)); // ~1 MiB: streamed and compressed on the fly
	server = await startSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('files', () => {
	it('serves index.html for / with the right headers', async () => {
		const res = await request(`${server.base}/`);
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
		assert.equal(Number(res.headers['content-length']), res.body.length);
		assert.match(res.text, /Fixture home/);
		assert.match(String(res.headers.etag), /^"[^"]+"$/);
		assert.ok(res.headers['last-modified']);
		assert.equal(res.headers['cache-control'], 'no-cache');
		assert.match(String(res.headers.server), /^LiveDevServer\//);
		assert.ok(res.headers.date);
		assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS headers by default');
	});

	it('falls back to index.htm, and redirects folders to their slash form keeping the query', async () => {
		const legacy = await request(`${server.base}/legacy/`);
		assert.equal(legacy.status, 200);
		assert.match(legacy.text, /legacy index\.htm/);
		const redirect = await request(`${server.base}/sub?x=1&y=2`);
		assert.equal(redirect.status, 301);
		assert.equal(redirect.headers.location, '/sub/?x=1&y=2');
		assert.match(String(redirect.headers.server), /^LiveDevServer\//);
	});

	it('never turns a folder redirect into a redirect to another site', async () => {
		fs.mkdirSync(`${workspace.root}/evil.example`, { recursive: true });
		const res = await request(`${server.base}//evil.example`);
		assert.equal(res.status, 301);
		assert.equal(res.headers.location, '/evil.example/');
	});

	it('sets Content-Type from the mime database with charset on text', async () => {
		const cases: Record<string, string> = {
			'/style.css': 'text/css; charset=utf-8',
			'/app.js': 'text/javascript; charset=utf-8',
			'/data.json': 'application/json; charset=utf-8',
			'/notes.txt': 'text/plain; charset=utf-8',
			'/pixel.png': 'image/png',
			'/media/big.bin': 'application/octet-stream',
		};
		for (const [urlPath, type] of Object.entries(cases)) {
			const res = await request(`${server.base}${urlPath}`, { method: 'HEAD' });
			assert.equal(res.status, 200, urlPath);
			assert.equal(res.headers['content-type'], type, urlPath);
		}
	});

	it('answers HEAD with the same headers as GET and no body', async () => {
		for (const urlPath of ['/', '/style.css', '/media/big.bin', '/files/', '/missing']) {
			const get = await request(`${server.base}${urlPath}`);
			const head = await request(`${server.base}${urlPath}`, { method: 'HEAD' });
			assert.equal(head.status, get.status, urlPath);
			assert.equal(head.body.length, 0, urlPath);
			for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges']) {
				assert.equal(head.headers[name], get.headers[name], `${urlPath} ${name}`);
			}
			if (get.status === 200) assert.equal(Number(head.headers['content-length']), get.body.length, urlPath);
		}
	});

	it('decodes percent-encoded and unicode names', async () => {
		assert.equal((await request(`${server.base}/weird/sp%20ace.txt`)).text, 'space');
		assert.match((await request(`${server.base}/weird/${encodeURIComponent('测试.html')}`)).text, /^<p>unicode<\/p>/);
		assert.equal((await request(`${server.base}/weird/${encodeURIComponent('<b>&"x".txt')}`)).text, 'weird');
	});

	it('answers 404 with an error page for missing files and for a file used as a folder', async () => {
		for (const urlPath of ['/nope.html', '/index.html/', '/style.css/x']) {
			const res = await request(`${server.base}${urlPath}`);
			assert.equal(res.status, 404, urlPath);
			assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
			assert.match(res.text, /<dt>Error code<\/dt><dd>404<\/dd>/);
		}
	});

	it('never serves a stale body after an edit, even within the same second and at the same size', async () => {
		const file = workspace.write('edit.txt', 'version-1');
		assert.equal((await request(`${server.base}/edit.txt`)).text, 'version-1');
		assert.equal((await request(`${server.base}/edit.txt`)).text, 'version-1'); // now cached
		const before = (await request(`${server.base}/edit.txt`)).headers.etag;
		fs.writeFileSync(file, 'version-2');
		const res = await request(`${server.base}/edit.txt`);
		assert.equal(res.text, 'version-2');
		assert.notEqual(res.headers.etag, before);
		fs.rmSync(file);
		assert.equal((await request(`${server.base}/edit.txt`)).status, 404);
	});
});

describe('conditional requests', () => {
	it('answers 304 without a body for If-None-Match and If-Modified-Since', async () => {
		const first = await request(`${server.base}/style.css`);
		const byEtag = await request(`${server.base}/style.css`, { headers: { 'If-None-Match': String(first.headers.etag) } });
		assert.equal(byEtag.status, 304);
		assert.equal(byEtag.body.length, 0);
		assert.match(String(byEtag.headers.server), /^LiveDevServer\//);
		assert.equal(byEtag.headers.etag, first.headers.etag);
		assert.equal(byEtag.headers['content-length'], undefined);
		const byDate = await request(`${server.base}/style.css`, { headers: { 'If-Modified-Since': String(first.headers['last-modified']) } });
		assert.equal(byDate.status, 304);
		const stale = await request(`${server.base}/style.css`, { headers: { 'If-None-Match': '"something-else"' } });
		assert.equal(stale.status, 200);
	});

	it('answers 412 when If-Match fails', async () => {
		const res = await request(`${server.base}/style.css`, { headers: { 'If-Match': '"nope"' } });
		assert.equal(res.status, 412);
		assert.match(res.text, /<dd>412<\/dd>/);
	});

	it('works for streamed (uncached) files too', async () => {
		const first = await request(`${server.base}/media/big.bin`, { method: 'HEAD' });
		const again = await request(`${server.base}/media/big.bin`, { headers: { 'If-None-Match': String(first.headers.etag) } });
		assert.equal(again.status, 304);
		assert.equal(again.body.length, 0);
	});
});

describe('ranges', () => {
	it('serves single ranges with 206 and Content-Range (bounded, open, suffix)', async () => {
		const cases: [string, number, number][] = [['bytes=0-9', 0, 9], ['bytes=100-', 100, big.length - 1], ['bytes=-500', big.length - 500, big.length - 1]];
		for (const [range, start, end] of cases) {
			const res = await request(`${server.base}/media/big.bin`, { headers: { Range: range } });
			assert.equal(res.status, 206, range);
			assert.equal(res.headers['content-range'], `bytes ${start}-${end}/${big.length}`);
			assert.equal(Number(res.headers['content-length']), end - start + 1);
			assert.ok(res.body.equals(big.subarray(start, end + 1)), range);
			assert.equal(res.headers['accept-ranges'], 'bytes');
		}
	});

	it('serves ranges of small cached files as well', async () => {
		const whole = (await request(`${server.base}/notes.txt`)).body;
		const res = await request(`${server.base}/notes.txt`, { headers: { Range: 'bytes=2-5' } });
		assert.equal(res.status, 206);
		assert.ok(res.body.equals(whole.subarray(2, 6)));
	});

	it('answers 416 with bytes */size for unsatisfiable ranges', async () => {
		for (const range of [`bytes=${big.length}-`, 'bytes=99999999999999999999-']) {
			for (const urlPath of ['/media/big.bin', '/notes.txt']) {
				const res = await request(`${server.base}${urlPath}`, { headers: { Range: range } });
				assert.equal(res.status, 416, `${urlPath} ${range}`);
				assert.match(String(res.headers['content-range']), /^bytes \*\/\d+$/);
				assert.match(res.text, /<dd>416<\/dd>/);
			}
		}
		const res = await request(`${server.base}/media/big.bin`, { headers: { Range: `bytes=${big.length}-` } });
		assert.equal(res.headers['content-range'], `bytes */${big.length}`);
	});

	it('ignores multi-ranges and garbage (full 200)', async () => {
		for (const range of ['bytes=0-1,4-5', 'pages=1-2', 'bytes=9-3']) {
			const res = await request(`${server.base}/notes.txt`, { headers: { Range: range } });
			assert.equal(res.status, 200, range);
		}
	});

	it('honours If-Range: a current ETag gets the range, a stale one the whole file', async () => {
		const { etag } = (await request(`${server.base}/media/big.bin`, { method: 'HEAD' })).headers;
		const fresh = await request(`${server.base}/media/big.bin`, { headers: { Range: 'bytes=0-3', 'If-Range': String(etag) } });
		assert.equal(fresh.status, 206);
		const stale = await request(`${server.base}/media/big.bin`, { headers: { Range: 'bytes=0-3', 'If-Range': '"old"' } });
		assert.equal(stale.status, 200);
		assert.equal(stale.body.length, big.length);
	});

	it('is not applied to HEAD, and neither advertised nor applied where the bytes are not the file\'s', async () => {
		const head = await request(`${server.base}/media/big.bin`, { method: 'HEAD', headers: { Range: 'bytes=0-3' } });
		assert.equal(head.status, 200);
		assert.equal(head.headers['content-range'], undefined);
		assert.equal(Number(head.headers['content-length']), big.length, 'HEAD describes the whole file');
		// HTML gets the live-reload script injected: its bytes differ from the file's, so ranges would be wrong.
		const file = fs.readFileSync(`${workspace.root}/index.html`);
		const page = await request(`${server.base}/index.html`, { headers: { Range: 'bytes=0-3' } });
		assert.equal(page.status, 200);
		assert.equal(page.headers['accept-ranges'], undefined, 'not advertised');
		assert.equal(page.headers['content-range'], undefined);
		assert.ok(page.body.length > file.length, 'the whole page, script included');
		assert.equal((await request(`${server.base}/notes.txt`)).headers['accept-ranges'], 'bytes', 'advertised where real');
	});
});

describe('compression', () => {
	it('compresses text with brotli or gzip by Accept-Encoding, with Vary', async () => {
		const plain = await request(`${server.base}/style.css`);
		const br = await request(`${server.base}/style.css`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
		assert.equal(br.headers['content-encoding'], 'br');
		assert.equal(br.headers.vary, 'Accept-Encoding');
		assert.ok(zlib.brotliDecompressSync(br.body).equals(plain.body));
		assert.ok(br.body.length < plain.body.length);
		assert.equal(br.headers.etag, `W/${plain.headers.etag}`);
		const gz = await request(`${server.base}/style.css`, { headers: { 'Accept-Encoding': 'gzip' } });
		assert.equal(gz.headers['content-encoding'], 'gzip');
		assert.ok(zlib.gunzipSync(gz.body).equals(plain.body));
		assert.equal(plain.headers.vary, 'Accept-Encoding');
		assert.equal(plain.headers['content-encoding'], undefined);
	});

	it('compresses large streamed text on the fly', async () => {
		const res = await request(`${server.base}/big.js`, { headers: { 'Accept-Encoding': 'gzip' } });
		assert.equal(res.headers['content-encoding'], 'gzip');
		assert.equal(res.headers['content-length'], undefined);
		assert.equal(zlib.gunzipSync(res.body).toString(), fs.readFileSync(`${workspace.root}/big.js`, 'utf8'));
	});

	it('does not compress ranges, binary types or tiny files', async () => {
		const range = await request(`${server.base}/style.css`, { headers: { 'Accept-Encoding': 'br', Range: 'bytes=0-9' } });
		assert.equal(range.status, 206);
		assert.equal(range.headers['content-encoding'], undefined);
		for (const urlPath of ['/pixel.png', '/media/big.bin', '/notes.txt']) {
			const res = await request(`${server.base}${urlPath}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
			assert.equal(res.headers['content-encoding'], undefined, urlPath);
		}
	});

	it('answers 304 to a compressed client revalidating with the weak tag', async () => {
		const br = await request(`${server.base}/style.css`, { headers: { 'Accept-Encoding': 'br' } });
		const again = await request(`${server.base}/style.css`, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': String(br.headers.etag) } });
		assert.equal(again.status, 304);
	});
});

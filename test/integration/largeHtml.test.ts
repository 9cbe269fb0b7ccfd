import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DiskFileSource } from '../../server-core/documents/fileSource';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

/** The disk, remembering which files were read whole into memory. */
class SpyingFileSource extends DiskFileSource {
	readonly readWhole: string[] = [];
	override readFile(filePath: string): Promise<Buffer> {
		this.readWhole.push(path.basename(filePath));
		return super.readFile(filePath);
	}
}

let workspace: TempWorkspace;
let server: TestServer;
let source: SpyingFileSource;
let size: number;

before(async () => {
	workspace = createTempWorkspace('site');
	// About 10 MiB: a generated report. "<head>" inside its script and its text must not be the place.
	const rows = Array.from({ length: 185_000 }, (_, index) => `<tr><td>${index}</td><td>row &lt;head&gt; ${index}</td></tr>`).join('\n');
	workspace.write('big.html', `<!DOCTYPE html>\n<html lang="en">\n<head data-x="a>b">\n<title>Report</title>\n</head>\n<body><table>\n${rows}\n</table></body></html>\n`);
	size = fs.statSync(path.join(workspace.root, 'big.html')).size;
	assert.ok(size > 9 * 1024 * 1024, `big.html is ${size} bytes`);
	source = new SpyingFileSource();
	server = await startSession(workspace.root, { source });
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('large HTML files', () => {
	it('are streamed, never read whole, with the script after <head> and an exact Content-Length', async () => {
		const get = await request(`${server.base}/big.html`);
		assert.equal(get.status, 200);
		const tag = /<script src="__live\/client\.js\?t=[0-9a-f]+"><\/script>/.exec(get.text)?.[0];
		assert.ok(tag, 'the script is injected');
		assert.equal(get.text.indexOf(tag), get.text.indexOf('<head data-x="a>b">') + '<head data-x="a>b">'.length);
		assert.equal(Number(get.headers['content-length']), size + Buffer.byteLength(tag));
		assert.equal(get.body.length, size + Buffer.byteLength(tag));
		assert.equal(get.text.replace(tag, ''), fs.readFileSync(path.join(workspace.root, 'big.html'), 'latin1'), 'the rest is the file, byte for byte');
		assert.deepEqual(source.readWhole.filter((name) => name === 'big.html'), []);
	});

	it('HEAD sends the headers GET sends; a Range is answered with the whole page; If-None-Match gives 304', async () => {
		const get = await request(`${server.base}/big.html`);
		const head = await request(`${server.base}/big.html`, { method: 'HEAD' });
		assert.equal(head.status, 200);
		assert.equal(head.body.length, 0);
		for (const name of ['content-length', 'content-type', 'etag', 'last-modified', 'cache-control', 'accept-ranges']) {
			assert.equal(head.headers[name], get.headers[name], name);
		}
		assert.equal(get.headers['accept-ranges'], undefined, 'ranges do not apply to rewritten HTML');
		const ranged = await request(`${server.base}/big.html`, { headers: { Range: 'bytes=0-99' } });
		assert.equal(ranged.status, 200);
		assert.equal(ranged.body.length, get.body.length);
		const again = await request(`${server.base}/big.html`, { headers: { 'If-None-Match': String(get.headers.etag) } });
		assert.equal(again.status, 304);
	});

	it('compressed, still decodes to the injected page', async () => {
		const get = await request(`${server.base}/big.html`, { headers: { 'Accept-Encoding': 'gzip' } });
		assert.equal(get.headers['content-encoding'], 'gzip');
		const page = gunzipSync(get.body).toString('latin1');
		const tag = /<script src="__live\/client\.js\?t=[0-9a-f]+"><\/script>/.exec(page)?.[0];
		assert.ok(tag);
		assert.equal(page.length, size + tag.length);
	});
});

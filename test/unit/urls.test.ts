import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { forwardedHostToAllow, urlForFile } from '../../extension/urls';

describe('urlForFile', () => {
	const base = 'http://127.0.0.1:5500/';
	it('maps files under the root to encoded URLs, index.html to its folder', () => {
		assert.equal(urlForFile(base, '/site', '/site/about.html', path.posix), 'http://127.0.0.1:5500/about.html');
		assert.equal(urlForFile(base, '/site', '/site/docs/my page #1.html', path.posix), 'http://127.0.0.1:5500/docs/my%20page%20%231.html');
		assert.equal(urlForFile(base, '/site', '/site/docs/index.html', path.posix), 'http://127.0.0.1:5500/docs/');
		assert.equal(urlForFile(base, '/site', '/site/index.htm', path.posix), 'http://127.0.0.1:5500/');
		assert.equal(urlForFile(base, '/site', '/site/测试.html', path.posix), 'http://127.0.0.1:5500/%E6%B5%8B%E8%AF%95.html');
	});

	it('refuses files outside the root, including prefix siblings', () => {
		assert.equal(urlForFile(base, '/site', '/other/a.html', path.posix), undefined);
		assert.equal(urlForFile(base, '/site', '/site2/a.html', path.posix), undefined);
		assert.equal(urlForFile(base, '/site/public', '/site/a.html', path.posix), undefined);
		assert.equal(urlForFile(base, 'C:\\site', 'D:\\site\\a.html', path.win32), undefined);
	});

	it('handles Windows paths', () => {
		assert.equal(urlForFile(base, 'C:\\site', 'C:\\site\\sub\\a b.html', path.win32), 'http://127.0.0.1:5500/sub/a%20b.html');
	});

	it('keeps a file named like ..foo inside the root', () => {
		assert.equal(urlForFile(base, '/site', '/site/..foo.html', path.posix), 'http://127.0.0.1:5500/..foo.html');
	});
});

describe('forwardedHostToAllow', () => {
	it('needs nothing when the browser still reaches this machine', () => {
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'http://127.0.0.1:5500/'), undefined);
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'http://localhost:61234/'), undefined);
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'http://[::1]:5500/'), undefined);
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'http://10.0.0.5:5500/'), undefined);
	});

	it('returns the forwarded host name of Codespaces-style URLs', () => {
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'https://fluffy-space-5500.app.github.dev/'), 'fluffy-space-5500.app.github.dev');
		assert.equal(forwardedHostToAllow('http://127.0.0.1:5500/', 'https://Code.Example.Test/proxy/5500/'), 'code.example.test');
	});
});

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findDeniedDotSegment, isPathInside, resolveRequestPath } from '../../server-core/http/resolvePath';

const root = '/srv/site';
const options = { dotfilesAllow: ['.well-known'], pathApi: path.posix };
const resolve = (urlPath: string) => resolveRequestPath(root, urlPath, options);

describe('resolveRequestPath', () => {
	it('maps plain paths under the root', () => {
		assert.deepEqual(resolve('/index.html'), { ok: true, absolutePath: '/srv/site/index.html', decodedPath: '/index.html' });
		assert.deepEqual(resolve('/'), { ok: true, absolutePath: '/srv/site/', decodedPath: '/' });
		assert.deepEqual(resolve('/a%20b/c.html'), { ok: true, absolutePath: '/srv/site/a b/c.html', decodedPath: '/a b/c.html' });
		assert.deepEqual(resolve('/%E6%B5%8B%E8%AF%95.html'), { ok: true, absolutePath: '/srv/site/测试.html', decodedPath: '/测试.html' });
	});

	it('collapses empty and "." segments without leaving the root', () => {
		assert.equal((resolve('//etc/passwd') as { absolutePath: string }).absolutePath, '/srv/site/etc/passwd');
		assert.equal((resolve('/./a/./b') as { absolutePath: string }).absolutePath, '/srv/site/a/b');
	});

	const traversal: [string, number][] = [
		['/../etc/passwd', 403],
		['/a/../../etc/passwd', 403],
		['/a/..', 403],
		['/%2e%2e/etc/passwd', 403],
		['/%2E%2E/%2E%2E/etc/passwd', 403],
		['/a%2f..%2f..%2fetc%2fpasswd', 403],
		['/..%2fetc%2fpasswd', 403],
		['/index.html%00.png', 400],
		['/%00', 400],
		['/..%5cetc%5cpasswd', 400],
		['/a\\..\\b', 400],
		['/%E0%A4%A', 400],
		['/%', 400],
		['relative/path', 400],
	];
	for (const [urlPath, status] of traversal) {
		it(`refuses ${JSON.stringify(urlPath)} with ${status}`, () => {
			const result = resolve(urlPath);
			assert.equal(result.ok, false);
			assert.equal((result as { status: number }).status, status);
		});
	}

	it('refuses dotfiles and dot-folders unless allowed', () => {
		for (const urlPath of ['/.env', '/.git/config', '/sub/.secret', '/%2egit/HEAD', '/.ssh/id_rsa']) {
			const result = resolve(urlPath);
			assert.equal(result.ok, false, urlPath);
			assert.equal((result as { status: number }).status, 403, urlPath);
			assert.match((result as { reason: string }).reason, /dotfile/);
		}
		assert.equal(resolve('/.well-known/security.txt').ok, true);
		assert.equal(resolveRequestPath(root, '/.env', { ...options, dotfilesAllow: ['.env'] }).ok, true);
		// Names that merely contain a dot are ordinary files.
		assert.equal(resolve('/a.b/c..d.txt').ok, true);
	});

	it('applies Windows rules (drive letters, streams, backslashes) with the win32 path API', () => {
		const win = { dotfilesAllow: [], pathApi: path.win32 };
		assert.equal(resolveRequestPath('C:\\site', '/C:/Windows/win.ini', win).ok, false);
		assert.equal(resolveRequestPath('C:\\site', '/file.txt::$DATA', win).ok, false);
		assert.equal(resolveRequestPath('C:\\site', '/..%5c..%5cwin.ini', win).ok, false);
		assert.deepEqual(resolveRequestPath('C:\\site', '/a/b.txt', win), { ok: true, absolutePath: 'C:\\site\\a\\b.txt', decodedPath: '/a/b.txt' });
	});
});

describe('isPathInside', () => {
	it('is separator-aware (the sibling-prefix case a startsWith test gets wrong)', () => {
		assert.equal(isPathInside('/srv/site', '/srv/site2/secret', path.posix), false);
		assert.equal(isPathInside('/srv/site', '/srv/site-old', path.posix), false);
		assert.equal(isPathInside('/srv/site', '/srv/site/a/b', path.posix), true);
		assert.equal(isPathInside('/srv/site', '/srv/site', path.posix), true);
		assert.equal(isPathInside('/srv/site', '/srv', path.posix), false);
		assert.equal(isPathInside('/srv/site', '/srv/site/..foo', path.posix), true);
		assert.equal(isPathInside('C:\\site', 'D:\\site\\x', path.win32), false);
	});
});

describe('findDeniedDotSegment (the dotfile rule on real paths)', () => {
	it('finds the first dot-named segment that is not allowed', () => {
		assert.equal(findDeniedDotSegment('.env', ['.well-known'], path.posix), '.env');
		assert.equal(findDeniedDotSegment('a/.git/config', ['.well-known'], path.posix), '.git');
		assert.equal(findDeniedDotSegment('node_modules/.pnpm/x@1/node_modules/x/index.js', [], path.posix), '.pnpm');
		assert.equal(findDeniedDotSegment('sub\\.secret', [], path.win32), '.secret');
	});

	it('passes ordinary and allowed paths', () => {
		assert.equal(findDeniedDotSegment('', [], path.posix), undefined);
		assert.equal(findDeniedDotSegment('a/b.txt', [], path.posix), undefined);
		assert.equal(findDeniedDotSegment('.well-known/security.txt', ['.well-known'], path.posix), undefined);
		assert.equal(findDeniedDotSegment('node_modules/.pnpm/x/index.js', ['.pnpm'], path.posix), undefined);
	});
});

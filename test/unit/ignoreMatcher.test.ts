import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIgnoreMatcher, DEFAULT_IGNORE_GLOBS } from '../../server-core/reload/ignoreMatcher';

describe('createIgnoreMatcher', () => {
	it('matches a path or any of its folders', () => {
		const isIgnored = createIgnoreMatcher(['**/node_modules', '*.log']);
		assert.equal(isIgnored('node_modules'), true);
		assert.equal(isIgnored('node_modules/a/b.js'), true);
		assert.equal(isIgnored('pkg/node_modules/a.js'), true);
		assert.equal(isIgnored('debug.log'), true);
		assert.equal(isIgnored('src/node_modules_backup/a.js'), false);
		assert.equal(isIgnored('src/index.js'), false);
		assert.equal(createIgnoreMatcher([])('anything'), false);
	});

	it('matches a pattern without a slash against names at any depth, as .gitignore does', () => {
		const isIgnored = createIgnoreMatcher(['*.log', 'dist', 'logs/', '.cache']);
		for (const ignored of ['debug.log', 'logs/a/debug.log', 'a/b/c/trace.log', 'dist', 'dist/app.js', 'packages/app/dist/app.js', 'logs', 'server/logs/today.txt', 'a/.cache/x']) {
			assert.equal(isIgnored(ignored), true, ignored);
		}
		for (const kept of ['debug.log.html', 'distribution/app.js', 'src/dist.js', 'catalogs/a.txt', 'log', 'a/cache/x']) {
			assert.equal(isIgnored(kept), false, kept);
		}
	});

	it('anchors patterns with a slash at the served folder; a leading slash anchors a single name', () => {
		const isIgnored = createIgnoreMatcher(['/build', 'docs/generated', 'tmp/**/*.html']);
		assert.equal(isIgnored('build/a.js'), true);
		assert.equal(isIgnored('src/build/a.js'), false);
		assert.equal(isIgnored('docs/generated/a.html'), true);
		assert.equal(isIgnored('site/docs/generated/a.html'), false);
		assert.equal(isIgnored('tmp/x/y/z.html'), true);
		assert.equal(isIgnored('tmp/x/y/z.css'), false);
	});

	it('ignores node_modules and .git at any depth by default', () => {
		const isIgnored = createIgnoreMatcher(DEFAULT_IGNORE_GLOBS);
		for (const ignored of ['node_modules/x/index.js', 'packages/a/node_modules/b/c.js', '.git/index.lock', '.git/HEAD', 'vendor/lib/.git/HEAD']) {
			assert.equal(isIgnored(ignored), true, ignored);
		}
		for (const kept of ['index.html', 'src/git/a.js', 'my_node_modules/a.js', '.github/workflows/ci.yml']) {
			assert.equal(isIgnored(kept), false, kept);
		}
	});
});

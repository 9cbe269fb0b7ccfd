import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { classifyChanges, documentsShownAt } from '../../server-core/reload/changeClassifier';
import type { FileChange } from '../../server-core/reload/changeSource';
import { createIgnoreMatcher } from '../../server-core/reload/ignoreMatcher';

const options = { root: '/site', isIgnored: createIgnoreMatcher(['**/node_modules', '**/.git', 'dist/**']), dotfilesAllow: ['.well-known'], pathApi: path.posix };
const changed = (...paths: string[]): FileChange[] => paths.map((p) => ({ path: p, kind: 'changed' }));

describe('classifyChanges', () => {
	it('swaps stylesheets in place when only CSS changed', () => {
		assert.deepEqual(classifyChanges(changed('/site/css/main.css', '/site/theme.CSS'), options), { stylesheets: ['/css/main.css', '/theme.CSS'], documents: [], reloadAll: false });
	});

	it('targets changed HTML documents, and reloads everything for other files', () => {
		assert.deepEqual(classifyChanges(changed('/site/about.html'), options), { stylesheets: [], documents: ['/about.html'], reloadAll: false });
		assert.equal(classifyChanges(changed('/site/app.js'), options)?.reloadAll, true);
		assert.equal(classifyChanges(changed('/site/a.css', '/site/img.png'), options)?.reloadAll, true);
		assert.equal(classifyChanges([{ path: '/site/new.html', kind: 'created' }], options)?.reloadAll, true);
		assert.equal(classifyChanges([{ path: '/site/a.css', kind: 'deleted' }], options)?.reloadAll, true);
	});

	it('ignores what is never served or explicitly ignored', () => {
		assert.equal(classifyChanges(changed('/site/node_modules/x/index.js', '/site/sub/node_modules/y.js', '/site/.git/index', '/site/.env', '/site/dist/out.js', '/elsewhere/a.html', '/site'), options), undefined);
		assert.notEqual(classifyChanges(changed('/site/.well-known/x.txt'), options), undefined);
	});
});

describe('documentsShownAt', () => {
	it('maps folder pages to their index documents', () => {
		assert.deepEqual(documentsShownAt('/'), ['/index.html', '/index.htm']);
		assert.deepEqual(documentsShownAt('/docs/'), ['/docs/index.html', '/docs/index.htm']);
		assert.deepEqual(documentsShownAt('/a b.html'), ['/a b.html']);
	});
});

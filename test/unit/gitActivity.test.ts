import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findGitDir, isGitActivity } from '../../server-core/reload/gitActivity';

describe('isGitActivity', () => {
	it('recognises the files git locks and rewrites when it changes the working tree', () => {
		for (const file of ['/r/.git/index.lock', '/r/.git/HEAD', '/r/.git/HEAD.lock', '/r/.git/ORIG_HEAD', '/r/.git/worktrees/wt/index.lock', 'C:\\r\\.git\\index.lock']) {
			assert.equal(isGitActivity(file), true, file);
		}
		for (const file of ['/r/index.lock', '/r/HEAD', '/r/.git/config', '/r/.git/objects/ab/cdef', '/r/git/HEAD', '/r/.github/HEAD']) {
			assert.equal(isGitActivity(file), false, file);
		}
	});
});

describe('findGitDir', () => {
	it('finds .git in the folder or above it, and follows a worktree\'s .git file', () => {
		const top = fs.mkdtempSync(path.join(os.tmpdir(), 'lds-git-'));
		try {
			fs.mkdirSync(path.join(top, 'repo', '.git'), { recursive: true });
			fs.mkdirSync(path.join(top, 'repo', 'site', 'sub'), { recursive: true });
			assert.equal(findGitDir(path.join(top, 'repo')), path.join(top, 'repo', '.git'));
			assert.equal(findGitDir(path.join(top, 'repo', 'site', 'sub')), path.join(top, 'repo', '.git'));
			fs.mkdirSync(path.join(top, 'repo', '.git', 'worktrees', 'wt'), { recursive: true });
			fs.mkdirSync(path.join(top, 'wt'));
			fs.writeFileSync(path.join(top, 'wt', '.git'), `gitdir: ${path.join(top, 'repo', '.git', 'worktrees', 'wt')}\n`);
			assert.equal(findGitDir(path.join(top, 'wt')), path.join(top, 'repo', '.git', 'worktrees', 'wt'));
			fs.mkdirSync(path.join(top, 'plain'));
			assert.equal(findGitDir(path.join(top, 'plain'), top), undefined, 'no repository up to the stop folder');
		} finally {
			fs.rmSync(top, { recursive: true, force: true });
		}
	});
});

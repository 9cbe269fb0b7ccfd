// vsix-readme.mjs, the README that `npm run package` puts into the VSIX (see the script for why it differs).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createTempWorkspace, REPO_ROOT } from '../helpers/tempWorkspace';

const out = createTempWorkspace();
after(() => out.remove());

async function packagedReadme(imagesUrl?: string): Promise<{ text: string; stdout: string }> {
	const file = path.join(out.root, 'README.vsix.md');
	const env = { ...process.env };
	delete env.LDS_IMAGES_URL;
	if (imagesUrl !== undefined) env.LDS_IMAGES_URL = imagesUrl;
	const { stdout } = await promisify(execFile)(process.execPath, ['vsix-readme.mjs', file], { cwd: REPO_ROOT, env });
	return { text: fs.readFileSync(file, 'utf8'), stdout };
}

const source = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const images = [...source.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((link) => !/^https?:/.test(link));

describe('the VSIX README', () => {
	it('has the README a screenshot to show', () => {
		assert.ok(images.length > 0, 'README.md shows at least one image from media/');
		for (const image of images) assert.ok(fs.existsSync(path.join(REPO_ROOT, image)), image);
	});

	it('leaves images out without LDS_IMAGES_URL (VS Code shows only http(s) images there), and says so', async () => {
		const { text, stdout } = await packagedReadme();
		assert.doesNotMatch(text, /!\[/);
		for (const image of images) assert.match(stdout, new RegExp(image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
		assert.match(text, /^# Live Dev Server$/m, 'the rest is there');
	});

	it('points images at LDS_IMAGES_URL when the project publishes media/ somewhere', async () => {
		const { text } = await packagedReadme('https://images.example.test/live-dev-server');
		for (const image of images) assert.ok(text.includes(`](https://images.example.test/live-dev-server/${image})`), image);
	});

	it('keeps web links and anchors, and reduces links to repository files to their text', async () => {
		const { text } = await packagedReadme();
		assert.match(text, /\]\(#[\w-]+\)/, 'anchors stay');
		assert.match(text, /\]\(https:\/\//, 'web links stay');
		const relative = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((link) => !/^(https?:|#|mailto:)/.test(link));
		assert.deepEqual(relative, []);
	});
});

// The universal VSIX that README's Install section recommends (`npm run package`): it packages, stays small, holds
// no node_modules and has everything the installed extension loads. The e2e in code-server installs the platform
// VSIX; this checks the other one without starting VS Code. Run by `npm run test:e2e`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/tempWorkspace';
import { packageExtension, repoDistSnapshot, type PackagedExtension } from './packageExtension';
import { zipEntries, type ZipEntry } from './zipEntries';

const MAX_BYTES = 2 * 1024 * 1024;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; main: string; icon: string };
/** vsce's names inside the archive: files under extension/, README and CHANGELOG lower-cased, LICENSE as .txt. */
const REQUIRED = [
	'extension/package.json',
	'extension/dist/extension.js',
	'extension/dist/server.js',
	'extension/dist/handlerWorker.js',
	'extension/dist/live-reload.js',
	`extension/${manifest.icon}`,
	'extension/readme.md',
	'extension/changelog.md',
	'extension/LICENSE.txt',
];

let packaged: PackagedExtension | undefined;
let entries: ZipEntry[];
let distBefore: string;

before(async () => {
	distBefore = repoDistSnapshot();
	packaged = await packageExtension();
	entries = zipEntries(packaged.vsix);
});

after(() => packaged?.dispose());

describe('the universal VSIX (npm run package)', { timeout: 5 * 60_000 }, () => {
	it('is named after the package and smaller than 2 MB', (t) => {
		assert.equal(path.basename(packaged!.vsix), `${manifest.name}-${manifest.version}.vsix`);
		const { size } = fs.statSync(packaged!.vsix);
		t.diagnostic(`${(size / 1024).toFixed(0)} KB, ${entries.length} files`);
		assert.ok(size < MAX_BYTES, `${size} bytes`);
	});

	it('holds no node_modules and no source maps', () => {
		assert.deepEqual(entries.filter((entry) => /(^|\/)node_modules\//.test(entry.name)).map((entry) => entry.name), []);
		assert.deepEqual(entries.filter((entry) => entry.name.endsWith('.map')).map((entry) => entry.name), []);
	});

	it('holds the bundles, the live-reload client, icon, README, CHANGELOG and LICENSE', () => {
		const names = new Set(entries.map((entry) => entry.name));
		assert.deepEqual(REQUIRED.filter((name) => !names.has(name)), [], `present: ${[...names].join(', ')}`);
		for (const name of REQUIRED) assert.ok(entries.find((entry) => entry.name === name)!.size > 0, `${name} is not empty`);
	});

	it('is universal, and its package.json starts the packaged bundle', () => {
		const vsixManifest = entries.find((entry) => entry.name === 'extension.vsixmanifest')!.read().toString('utf8');
		assert.doesNotMatch(vsixManifest, /TargetPlatform=/);
		const packagedJson = JSON.parse(entries.find((entry) => entry.name === 'extension/package.json')!.read().toString('utf8')) as { main: string };
		assert.equal(packagedJson.main, manifest.main);
		assert.ok(entries.some((entry) => `extension/${path.posix.normalize(manifest.main)}` === entry.name), `${manifest.main} is packaged`);
	});

	it("leaves the repository's dist/ alone (the production build ran in a copy)", () => {
		assert.equal(repoDistSnapshot(), distBefore);
	});
});

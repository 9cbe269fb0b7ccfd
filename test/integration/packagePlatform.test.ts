import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';

// packagePlatform.mjs runs from a copy next to a fake node_modules, so every case is deterministic and offline.
let fake: TempWorkspace;

function installFake(platform: string, binary: string, version = '0.28.2'): void {
	fake.write(`node_modules/@esbuild/${platform}/package.json`, JSON.stringify({ name: `@esbuild/${platform}`, version }));
	fake.write(`node_modules/@esbuild/${platform}/${binary}`, 'binary');
}

function check(target: string): { status: number | null; output: string } {
	const result = spawnSync(process.execPath, [path.join(fake.root, 'packagePlatform.mjs'), '--target', target, '--check-only'], { encoding: 'utf8' });
	return { status: result.status, output: result.stdout + result.stderr };
}

before(() => {
	fake = createTempWorkspace();
	fs.copyFileSync(path.join(REPO_ROOT, 'packagePlatform.mjs'), path.join(fake.root, 'packagePlatform.mjs'));
	fs.copyFileSync(path.join(REPO_ROOT, '.vscodeignore.platform'), path.join(fake.root, '.vscodeignore.platform'));
	fake.write('node_modules/esbuild/package.json', JSON.stringify({ name: 'esbuild', version: '0.28.2' }));
	installFake('linux-x64', 'bin/esbuild');
});

after(() => fake.remove());

describe('per-platform VSIX packaging (npm run package:platform)', () => {
	it('refuses a target whose esbuild package is not installed, saying how to install it', () => {
		const { status, output } = check('win32-x64');
		assert.equal(status, 1);
		assert.match(output, /@esbuild\/win32-x64 is not installed/);
		assert.match(output, /npm install --no-save --force @esbuild\/win32-x64@0\.28\.2/);
	});

	it('packs the target\'s binary only: esbuild.exe at the package root on Windows, not the host\'s package', () => {
		installFake('win32-x64', 'esbuild.exe');
		const { status, output } = check('win32-x64');
		assert.equal(status, 0, output);
		assert.match(output, /^!node_modules\/@esbuild\/win32-x64\/esbuild\.exe$/m);
		assert.doesNotMatch(output, /linux-x64/);
		const linux = check('linux-x64');
		assert.match(linux.output, /^!node_modules\/@esbuild\/linux-x64\/bin\/esbuild$/m);
		assert.doesNotMatch(linux.output, /win32/);
	});

	it('maps vsce targets to esbuild packages, and refuses a binary of another esbuild version', () => {
		installFake('linux-arm', 'bin/esbuild', '0.27.0');
		const armhf = check('linux-armhf');
		assert.equal(armhf.status, 1);
		assert.match(armhf.output, /@esbuild\/linux-arm is 0\.27\.0 but esbuild is 0\.28\.2/);
		assert.match(check('web').output, /no esbuild binary for the target "web"/);
	});

	it('keeps the static ignore file right for Windows too (esbuild.exe is not under bin/)', () => {
		const ignore = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore.platform'), 'utf8');
		assert.match(ignore, /^!node_modules\/@esbuild\/\*\/esbuild\.exe$/m);
		assert.match(ignore, /^!node_modules\/@esbuild\/\*\/bin\/esbuild$/m);
		assert.match(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts['package:platform'], /^node packagePlatform\.mjs$/);
	});
});

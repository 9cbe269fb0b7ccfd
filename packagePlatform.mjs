// Builds a per-platform VSIX with esbuild's native binary for request handlers:
//   node packagePlatform.mjs --target <vsce target> [--check-only] [other vsce package options]
// (npm run package:platform -- --target win32-x64). esbuild installs only the host's @esbuild/<platform> package,
// so a cross-target build would otherwise ship the host's binary (or none): this refuses, naming the fix, and
// packs only the target's package (see .vscodeignore.platform).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** vsce targets -> esbuild's package for that platform, and where its binary lives in it. */
const ESBUILD_PACKAGES = {
	'win32-x64': ['win32-x64', 'esbuild.exe'],
	'win32-arm64': ['win32-arm64', 'esbuild.exe'],
	'win32-ia32': ['win32-ia32', 'esbuild.exe'],
	'linux-x64': ['linux-x64', 'bin/esbuild'],
	'linux-arm64': ['linux-arm64', 'bin/esbuild'],
	'linux-armhf': ['linux-arm', 'bin/esbuild'],
	// esbuild's Linux binaries are static: the same ones run on Alpine (musl).
	'alpine-x64': ['linux-x64', 'bin/esbuild'],
	'alpine-arm64': ['linux-arm64', 'bin/esbuild'],
	'darwin-x64': ['darwin-x64', 'bin/esbuild'],
	'darwin-arm64': ['darwin-arm64', 'bin/esbuild'],
};

function fail(message) {
	console.error(`package:platform: ${message}`);
	process.exit(1);
}

const args = process.argv.slice(2);
const targetIndex = args.indexOf('--target');
const target = targetIndex >= 0 ? args[targetIndex + 1] : undefined;
const checkOnly = args.includes('--check-only');
if (target === undefined || target.startsWith('-')) fail('give the platform: npm run package:platform -- --target <target> (for example linux-x64, win32-x64, darwin-arm64).');
const known = ESBUILD_PACKAGES[target];
if (known === undefined) fail(`no esbuild binary for the target "${target}". Targets: ${Object.keys(ESBUILD_PACKAGES).join(', ')}.`);

const [platform, binary] = known;
const esbuildVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version;
const packageDir = join(ROOT, 'node_modules/@esbuild', platform);
const install = `npm install --no-save --force @esbuild/${platform}@${esbuildVersion}`;
if (!existsSync(join(packageDir, 'package.json'))) {
	fail(`@esbuild/${platform} is not installed, so this ${target} VSIX would have no esbuild binary for request handlers (npm installs only this machine's). Install it first (--force: it is for another platform):\n  ${install}`);
}
const installedVersion = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
if (installedVersion !== esbuildVersion) fail(`@esbuild/${platform} is ${installedVersion} but esbuild is ${esbuildVersion}; esbuild refuses a binary of another version:\n  ${install}`);
if (!existsSync(join(packageDir, binary))) fail(`@esbuild/${platform} has no ${binary}; reinstall it:\n  ${install}`);

// The target's package only: not the host's, which would add its binary (megabytes) for nothing.
const ignoreLines = readFileSync(join(ROOT, '.vscodeignore.platform'), 'utf8')
	.split('\n')
	.filter((line) => !line.startsWith('!node_modules/@esbuild/'))
	.concat([`!node_modules/@esbuild/${platform}/package.json`, `!node_modules/@esbuild/${platform}/${binary}`]);
if (checkOnly) {
	console.log(`package:platform: ${target} ships @esbuild/${platform}/${binary} (${esbuildVersion}).`);
	console.log(ignoreLines.filter((line) => line.startsWith('!node_modules/')).join('\n'));
	process.exit(0);
}

const ignoreDir = mkdtempSync(join(tmpdir(), 'lds-vscodeignore-'));
const ignoreFile = join(ignoreDir, '.vscodeignore');
writeFileSync(ignoreFile, ignoreLines.join('\n'));
try {
	const vsce = join(ROOT, 'node_modules/@vscode/vsce/vsce');
	const result = spawnSync(process.execPath, [vsce, 'package', '--ignoreFile', ignoreFile, '--out', 'dist/', ...args], { cwd: ROOT, stdio: 'inherit' });
	process.exitCode = result.status ?? 1;
} finally {
	rmSync(ignoreDir, { recursive: true, force: true });
}

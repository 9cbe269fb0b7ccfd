// npm run test:vscode: the extension-host tests (mocha, tdd) inside a real VS Code.
// Not part of `npm test`: it needs a VS Code binary. VSCODE_EXECUTABLE=/path/to/code uses that one; a copy
// cached in .vscode-test/ is used when present; VSCODE_TEST_DOWNLOAD=1 lets @vscode/test-electron download
// one. Otherwise this prints "skipped: no VS Code available" and exits with 77 (automake's "skipped"), so a run
// that tested nothing is never mistaken for a pass.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

/** Exit code of a run that could not test anything. */
const SKIPPED = 77;

function findRepoRoot(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
	}
}

async function vscodeExecutable(repo: string): Promise<string | undefined> {
	const explicit = process.env.VSCODE_EXECUTABLE;
	if (explicit) return explicit;
	const cache = path.join(repo, '.vscode-test');
	if (fs.existsSync(cache) || process.env.VSCODE_TEST_DOWNLOAD === '1') {
		return downloadAndUnzipVSCode({ version: 'stable', cachePath: cache });
	}
	return undefined;
}

async function main(): Promise<void> {
	const repo = findRepoRoot(__dirname);
	const executable = await vscodeExecutable(repo);
	if (executable === undefined) {
		console.log('skipped: no VS Code available (set VSCODE_EXECUTABLE, or VSCODE_TEST_DOWNLOAD=1 to download one into .vscode-test/)');
		process.exitCode = SKIPPED;
		return;
	}
	const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lds-vscode-'));
	fs.cpSync(path.join(repo, 'test', 'fixtures', 'site'), workspace, { recursive: true });
	const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'lds-vscode-user-'));
	try {
		await runTests({
			vscodeExecutablePath: executable,
			extensionDevelopmentPath: repo,
			extensionTestsPath: path.join(__dirname, 'index.js'),
			launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userData}`],
		});
	} finally {
		fs.rmSync(workspace, { recursive: true, force: true });
		fs.rmSync(userData, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

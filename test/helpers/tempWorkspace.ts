import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root: the nearest folder above the (bundled) test file that has a package.json. */
export const REPO_ROOT = findRepoRoot(__dirname);
/** Fixtures live in the repository; tests get a private copy they may modify. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

function findRepoRoot(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
	}
}

export interface TempWorkspace {
	root: string;
	write(relativePath: string, content: string | Buffer): string;
	remove(): void;
}

/** Copies `test/fixtures/<name>` (or nothing) into a fresh temp folder. */
export function createTempWorkspace(fixture?: string): TempWorkspace {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lds-test-')));
	if (fixture !== undefined) fs.cpSync(path.join(FIXTURES, fixture), root, { recursive: true });
	return {
		root,
		write(relativePath, content) {
			const file = path.join(root, relativePath);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, content);
			return file;
		},
		remove() {
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
}

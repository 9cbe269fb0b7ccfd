import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files git creates or rewrites in its folder when it is about to change the working tree (checkout, merge, reset...). */
const GIT_SIGNALS = /[\\/]\.git(?:[\\/]worktrees[\\/][^\\/]+)?[\\/](?:index\.lock|HEAD|HEAD\.lock|ORIG_HEAD)$/;

/**
 * True for a change that says git is at work: a storm of working-tree changes follows. Such changes reload nothing
 * themselves (`.git` is ignored); the batcher uses them to wait for the end of the storm from its first event.
 */
export function isGitActivity(filePath: string): boolean {
	return GIT_SIGNALS.test(filePath);
}

/**
 * The git folder of the repository holding `folder` (its `.git`, in it or above it; a worktree's `.git` file points
 * to its own), or undefined. Searched up to `stopAt` (included) or the file-system root.
 */
export function findGitDir(folder: string, stopAt?: string): string | undefined {
	for (let current = path.resolve(folder); ; current = path.dirname(current)) {
		const candidate = path.join(current, '.git');
		const stats = fs.statSync(candidate, { throwIfNoEntry: false });
		if (stats?.isDirectory()) return candidate;
		if (stats?.isFile()) {
			const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readText(candidate))?.[1];
			if (pointer !== undefined) return path.resolve(current, pointer);
		}
		if (current === stopAt || path.dirname(current) === current) return undefined;
	}
}

function readText(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

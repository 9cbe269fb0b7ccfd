import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/tempWorkspace';
import { killGroup, onExit, removeFolder } from './exitCleanup';

/** Not copied: built or installed things (node_modules is linked instead), results, git. */
const LEFT_OUT = new Set(['node_modules', 'dist', 'out', 'test-results', '.vscode-test', '.git']);

export interface PackagedExtension {
	vsix: string;
	/** Removes the copy the VSIX was built in (the VSIX with it). */
	dispose(): void;
}

/**
 * `npm run package` (universal) or `npm run package:platform -- --target <target>` in a temporary copy of the
 * working tree, so that vscode:prepublish's minified production build never replaces the developer's dist/
 * (whose source maps would then no longer match). The copy shares the repository's node_modules through a link.
 */
export async function packageExtension({ target }: { target?: string } = {}): Promise<PackagedExtension> {
	const copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lds-package-')));
	const unregister = onExit(() => removeFolder(copy));
	const dispose = () => {
		removeFolder(copy);
		unregister();
	};
	try {
		for (const name of fs.readdirSync(REPO_ROOT)) {
			if (!LEFT_OUT.has(name)) fs.cpSync(path.join(REPO_ROOT, name), path.join(copy, name), { recursive: true, verbatimSymlinks: true });
		}
		fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
		const args = target === undefined ? ['run', 'package'] : ['run', 'package:platform', '--', '--target', target];
		await runInGroup('npm', args, copy, 240_000);
		const vsixes = fs.readdirSync(path.join(copy, 'dist')).filter((name) => name.endsWith('.vsix'));
		if (vsixes.length !== 1) throw new Error(`expected one .vsix in ${copy}/dist, found: ${vsixes.join(', ') || 'none'}`);
		return { vsix: path.join(copy, 'dist', vsixes[0]), dispose };
	} catch (error) {
		dispose();
		throw error;
	}
}

/** Names, sizes and modification times in the repository's dist/: packaging must leave them as they were. */
export function repoDistSnapshot(): string {
	const dist = path.join(REPO_ROOT, 'dist');
	if (!fs.existsSync(dist)) return '(no dist/)';
	return fs.readdirSync(dist).sort().map((name) => {
		const stat = fs.statSync(path.join(dist, name));
		return `${name} ${stat.size} ${stat.mtimeMs}`;
	}).join('\n');
}

/**
 * Runs a command in a process group of its own, which is killed (tsc, esbuild, vsce and all) when it takes longer
 * than `timeoutMs` or when the test process ends early.
 */
function runInGroup(command: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		const killChildGroup = () => killGroup(child.pid);
		const unregister = onExit(killChildGroup);
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const timer = setTimeout(() => {
			killChildGroup();
			output += `\n(killed after ${timeoutMs} ms)`;
		}, timeoutMs);
		child.once('error', reject);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			unregister();
			if (code === 0) resolve();
			else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}) in ${cwd}:\n${output.slice(-4000)}`));
		});
	});
}

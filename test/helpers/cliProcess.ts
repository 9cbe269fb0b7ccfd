import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './tempWorkspace';
import { waitFor } from './waitFor';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliProcess {
	child: ChildProcess;
	base: string;
	output: () => string;
	/** Resolves when the process has exited, with its code or signal. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real command-line server (dist/cli.js) in its own process, on any free port of 127.0.0.1. */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, cli = CLI): Promise<CliProcess> {
	const child = spawn(process.execPath, [cli, '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const match = await waitFor(() => child.exitCode === null && /\((http:\/\/[^)]+)\/\)/.exec(output), { timeoutMs: 10_000, what: 'the serving line' });
	return { child, base: match[1]!, output: () => output, exited };
}

/** Ctrl-C, as a user would stop it. */
export async function stopCli(cli: CliProcess | undefined): Promise<void> {
	if (cli === undefined || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
	cli.child.kill('SIGINT');
	await cli.exited;
}

/** Whether a process with this id exists (signal 0 only checks). */
export function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

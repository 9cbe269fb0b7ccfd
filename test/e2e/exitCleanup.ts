import * as fs from 'node:fs';

/**
 * Synchronous clean-ups that also run when the test process is ended early: on Ctrl-C or SIGTERM, and on any
 * process.exit (Playwright's own SIGINT handler exits too). They run once each, newest first, so what was started
 * last (code-server, writing into a temp folder) is stopped before what it uses is removed.
 */
const cleanups: (() => void)[] = [];

function runAll(): void {
	for (const cleanup of cleanups.splice(0).reverse()) {
		try {
			cleanup();
		} catch {
			// the next one still runs
		}
	}
}

const exitOnSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);

/** Registers `cleanup`; the returned function unregisters it (call it after cleaning up normally). */
export function onExit(cleanup: () => void): () => void {
	if (cleanups.length === 0) {
		process.on('exit', runAll);
		process.on('SIGINT', exitOnSignal);
		process.on('SIGTERM', exitOnSignal);
	}
	cleanups.push(cleanup);
	return () => {
		const index = cleanups.indexOf(cleanup);
		if (index >= 0) cleanups.splice(index, 1);
		if (cleanups.length === 0) {
			process.removeListener('exit', runAll);
			process.removeListener('SIGINT', exitOnSignal);
			process.removeListener('SIGTERM', exitOnSignal);
		}
	};
}

/** Removes a folder, retrying while processes that were just killed let go of it. */
export function removeFolder(folder: string): void {
	fs.rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** SIGKILL to a process group, ignoring one that is gone. */
export function killGroup(pgid: number | undefined): void {
	if (pgid === undefined) return;
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch {
		// already gone
	}
}

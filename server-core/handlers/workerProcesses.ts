import type { ChildProcess } from 'node:child_process';

/** Worker processes that are still running, so none outlives the server. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackWorkerProcess(child: ChildProcess): void {
	running.add(child);
	child.once('exit', () => running.delete(child));
	child.once('error', () => {
		if (child.pid === undefined) running.delete(child);
	});
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// However the server process ends normally (process.exit, an uncaught exception), its workers end with it.
		// Were it killed outright, each worker notices its IPC channel closing (or, if busy, its watchdog does).
		process.once('exit', () => {
			for (const worker of running) killWorkerProcess(worker);
		});
	}
}

/** Kills a worker at once, with whatever its handlers started (its process group on POSIX). */
export function killWorkerProcess(child: ChildProcess): void {
	if (child.pid === undefined) return;
	if (process.platform !== 'win32') {
		try {
			process.kill(-child.pid, 'SIGKILL');
			return;
		} catch {
			// Not a group leader (or already gone): kill the process itself.
		}
	}
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

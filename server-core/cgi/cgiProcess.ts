import type { ChildProcess } from 'node:child_process';

/** Kills the script and everything it started (its process group on POSIX). */
export function killTree(child: ChildProcess): void {
	if (child.exitCode !== null || child.signalCode !== null) {
		// The script is gone but children it left behind may still hold its output open.
		if (child.pid !== undefined && process.platform !== 'win32') tryKill(-child.pid);
		return;
	}
	if (child.pid !== undefined && process.platform !== 'win32') tryKill(-child.pid);
	else child.kill('SIGKILL');
}

function tryKill(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

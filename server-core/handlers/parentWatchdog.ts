import { Worker } from 'node:worker_threads';

/** How often the watchdog checks that the server process is still there. */
const CHECK_INTERVAL_MS = 1000;

// Runs on its own thread, so it also fires while a handler keeps the worker's main thread in a busy loop.
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { parentPid, intervalMs } = workerData;
setInterval(() => {
	let alive = process.ppid === parentPid;
	if (alive) {
		try {
			process.kill(parentPid, 0);
		} catch (error) {
			alive = error.code === 'EPERM';
		}
	}
	if (!alive) process.kill(process.pid, 'SIGKILL');
}, intervalMs);
`;

/**
 * Ends this worker process when the server process is gone. The IPC channel's 'disconnect' covers an idle worker;
 * this covers a worker whose main thread is stuck in a handler when the server dies (even by SIGKILL), which would
 * otherwise spin forever as an orphan.
 */
export function startParentWatchdog(parentPid: number): void {
	const watchdog = new Worker(WATCHDOG_SOURCE, {
		eval: true,
		workerData: { parentPid, intervalMs: CHECK_INTERVAL_MS },
		resourceLimits: { maxOldGenerationSizeMb: 8 },
		stdout: false,
		stderr: false,
	});
	watchdog.unref();
	watchdog.on('error', () => undefined);
}

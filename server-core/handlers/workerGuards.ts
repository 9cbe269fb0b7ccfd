/**
 * Handler code runs in the worker process and may call `process.exit` or `process.kill`, by mistake or from a
 * library. Neither may end the worker behind the server's back or signal the server: both throw instead.
 * Returns the real `exit`, for the worker's own use.
 */
export function installProcessGuards(serverPid: number): (code?: number) => never {
	const exit = process.exit.bind(process) as (code?: number) => never;
	process.exit = ((code?: number) => {
		throw new HandlerExitError(code);
	}) as typeof process.exit;

	/** Node converts the pid with `pid | 0` (strings and objects too): convert once, check, and pass the number on. */
	const checked = (pid: unknown): number => {
		const target = Number(pid);
		// 0 and negative ids are process groups (-1: every process of the user); the worker is its own group leader.
		if (Number.isInteger(target) && (target <= 0 || target === serverPid || target === process.pid)) {
			throw new Error(`Handlers may not send signals to the server or its worker process (process.kill(${String(target)})). Throw an error or return a Response instead.`);
		}
		return target;
	};
	const kill = process.kill.bind(process);
	process.kill = ((pid: number, signal?: string | number) => kill(checked(pid), signal)) as typeof process.kill;
	// process.kill ends in this internal binding: guard it too, so the check cannot be stepped around.
	const internal = process as unknown as { _kill?: (pid: number, signal: number) => number };
	const rawKill = internal._kill?.bind(process);
	if (rawKill !== undefined) internal._kill = (pid, signal) => rawKill(checked(pid), signal);
	return exit;
}

class HandlerExitError extends Error {
	constructor(code: unknown) {
		super(`process.exit(${code === undefined ? '' : String(code)}) was called by handler code. Handlers cannot stop the server; throw an error or return a Response instead.`);
		this.name = 'HandlerExitError';
	}
}

/**
 * Handler code runs in the worker process and may call `process.exit` or `process.kill`, by mistake or from a
 * library. Neither may end the worker behind the server's back or signal the server: both throw instead.
 * Returns the real `exit`, for the worker's own use.
 */
export function installProcessGuards(): (code?: number) => never {
	const exit = process.exit.bind(process) as (code?: number) => never;
	process.exit = ((code?: number) => {
		throw new HandlerExitError(code);
	}) as typeof process.exit;
	const kill = process.kill.bind(process);
	process.kill = ((pid: number, signal?: string | number) => {
		if (pid === process.pid || pid === 0 || pid === -process.pid) throw new Error('Handlers may not send signals to the server process.');
		return kill(pid, signal);
	}) as typeof process.kill;
	return exit;
}

class HandlerExitError extends Error {
	constructor(code: unknown) {
		super(`process.exit(${code === undefined ? '' : String(code)}) was called by handler code. Handlers cannot stop the server; throw an error or return a Response instead.`);
		this.name = 'HandlerExitError';
	}
}

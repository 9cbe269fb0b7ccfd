import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { killWorkerProcess, trackWorkerProcess } from './workerProcesses';
import { TOKEN_HEADER, type ServerMessage, type WorkerMessage, type WorkerStartData } from './workerProtocol';

export interface GenerationOptions {
	workerPath: string;
	root: string;
	handlersDir: string;
	/** V8 old-space limit of the worker process: a handler that leaks or allocates without bound ends only its worker. */
	memoryLimitMb: number;
}

/** What the worker said when it crashed (an uncaught exception), for the error page and the log. */
export interface WorkerCrash {
	name: string;
	message: string;
	stack: string;
}

/** The last bytes of the worker's stderr are kept: V8 reports heap exhaustion there, just before it aborts. */
const STDERR_TAIL_BYTES = 16 * 1024;
/** Where V8 starts reporting a fatal error on stderr. */
const FATAL_REPORT = /\n?<--- Last few GCs --->|FATAL ERROR:/;
/** After the exit, wait this long at most for its last output (a grandchild may hold stderr open). */
const STDERR_DRAIN_MS = 300;

/**
 * One handler worker process ("generation N"): a fresh module cache, its own loopback port and token.
 * A changed handler gets a new generation instead of a re-import, so no stale module, timer or socket survives.
 * A process, not a thread: stopping it is the operating system's job (SIGKILL), which is safe whatever it was
 * doing, and neither its native crashes nor its memory (heap or not) can take the server down.
 */
export class WorkerGeneration {
	readonly token = randomBytes(16).toString('hex');
	/** Resolves with the worker's port once its server listens; rejects if it dies first. */
	readonly ready: Promise<number>;
	/** Resolves with why the worker stopped (crash, memory, timeout, replaced). */
	readonly exited: Promise<string>;
	/** Resolves with what failed when the worker reports its own code broken (it is replaced then); may never resolve. */
	readonly unhealthy: Promise<string>;
	readonly agent = new http.Agent({ keepAlive: true });
	/** Route file -> module URL imported (or about to be) by this generation. */
	readonly loaded = new Map<string, string>();
	private readonly _child: ChildProcess;
	private _port = 0;
	private _exitReason: string | undefined;
	private _stopReason: string | undefined;
	private _crash: WorkerCrash | undefined;
	private _unhealthy: string | undefined;
	private _stderrTail = '';
	private _inflight = 0;
	private _retiring = false;

	constructor(readonly id: number, options: GenerationOptions) {
		// No `env`: the worker inherits the server's environment, ELECTRON_RUN_AS_NODE included (inside VS Code,
		// process.execPath is Electron, which runs as Node only with it).
		this._child = fork(options.workerPath, [], {
			execArgv: [`--max-old-space-size=${options.memoryLimitMb}`],
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
			serialization: 'json',
			// Its own process group on POSIX: Ctrl-C in a terminal reaches the server (which stops the worker
			// cleanly), not the worker; and a kill reaches what handler code started.
			detached: process.platform !== 'win32',
		});
		trackWorkerProcess(this._child);
		let reportUnhealthy!: (reason: string) => void;
		this.unhealthy = new Promise((resolve) => (reportUnhealthy = resolve));
		// Handler output (console.log) shows where the server's own output goes, as from a thread.
		this._child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk));
		// Its last words (the crash message over IPC, V8's report on stderr) may be read after the exit is seen.
		const lastWords = Promise.all([
			new Promise<void>((resolve) => this._child.stderr!.once('close', resolve)),
			new Promise<void>((resolve) => (this._child.connected ? this._child.once('disconnect', resolve) : resolve())),
		]);
		let fatal = false;
		this._child.stderr!.on('data', (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			this._stderrTail = (this._stderrTail + text).slice(-STDERR_TAIL_BYTES);
			if (fatal) return;
			// V8's report of a fatal error (heap exhausted...) is pages of native frames: the exit reason says it in one line.
			const report = FATAL_REPORT.exec(text);
			if (report) fatal = true;
			process.stderr.write(report ? text.slice(0, report.index) : text);
		});
		this._child.on('message', (message: WorkerMessage) => {
			if (message?.type === 'crash') this._crash = { name: String(message.name), message: String(message.message), stack: String(message.stack) };
			// No new request goes to it; the next one starts a fresh generation, and this one stops when idle.
			if (message?.type === 'unhealthy' && this._unhealthy === undefined) {
				this._unhealthy = String(message.reason);
				reportUnhealthy(this._unhealthy);
			}
		});
		this.exited = new Promise((resolve) => {
			const onExit = async (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
				const drained = new Promise((done) => setTimeout(done, STDERR_DRAIN_MS).unref());
				await Promise.race([lastWords, drained]);
				this._exitReason = this._stopReason ?? describeExit({ code, signal, spawnError, crash: this._crash, stderr: this._stderrTail, memoryLimitMb: options.memoryLimitMb, started: this._port !== 0 });
				this.agent.destroy();
				resolve(this._exitReason);
			};
			this._child.once('exit', (code, signal) => void onExit(code, signal));
			// Could not be started at all (the runtime is missing): no 'exit' follows.
			this._child.once('error', (error) => {
				if (this._child.pid === undefined) void onExit(null, null, error);
			});
		});
		this.ready = new Promise((resolve, reject) => {
			this._child.on('message', (message: WorkerMessage) => {
				if (message?.type !== 'ready' || this._port !== 0) return;
				this._port = message.port;
				// One ping first: the keep-alive connection then exists before the first real request.
				this._ping().finally(() => resolve(message.port));
			});
			void this.exited.then((reason) => reject(new Error(`The handler worker stopped before it was ready: ${reason}.`)));
		});
		this.ready.catch(() => undefined);
		const start: ServerMessage = { type: 'start', data: { token: this.token, root: options.root, handlersDir: options.handlersDir } satisfies WorkerStartData };
		if (this._child.connected) this._child.send(start, () => undefined);
	}

	private _ping(): Promise<void> {
		return new Promise((resolve) => {
			const ping = http.request({ host: '127.0.0.1', port: this._port, path: '/', headers: { [TOKEN_HEADER]: this.token }, agent: this.agent }, (res) => {
				res.resume();
				res.once('end', resolve);
			});
			ping.once('error', () => resolve());
			ping.end();
		});
	}

	get port(): number {
		return this._port;
	}

	/** False once the worker stopped or is being replaced: no new request goes to it. */
	get usable(): boolean {
		return this._exitReason === undefined && this._stopReason === undefined && !this._retiring && this._unhealthy === undefined;
	}

	/** The uncaught exception that crashed the worker, if it did. */
	get crash(): WorkerCrash | undefined {
		return this._crash;
	}

	get exitReason(): string | undefined {
		return this._exitReason;
	}

	/** True once it ended by itself (crash, memory, exit, killed from outside), not because the server stopped it. */
	get failed(): boolean {
		return this._exitReason !== undefined && this._stopReason === undefined;
	}

	begin(): void {
		this._inflight++;
	}

	end(): void {
		this._inflight--;
		if (this._retiring && this._inflight === 0) void this.terminate('replaced by a newer generation');
	}

	/** Replaced by a newer generation: stops once its in-flight requests (streams included) are done. */
	retire(): void {
		this._retiring = true;
		if (this._inflight === 0) void this.terminate('replaced by a newer generation');
	}

	/** Stops now, whatever runs (a busy loop included): the process and what it started are killed. */
	async terminate(reason: string): Promise<void> {
		if (this._exitReason !== undefined) return;
		this._stopReason ??= reason;
		killWorkerProcess(this._child);
		await this.exited;
	}
}

interface ExitFacts {
	code: number | null;
	signal: NodeJS.Signals | null;
	spawnError: Error | undefined;
	crash: WorkerCrash | undefined;
	stderr: string;
	memoryLimitMb: number;
	/** It had reported ready: an early exit is a start-up failure, whose first error line says why. */
	started: boolean;
}

/** Why a worker the server did not stop ended, in words for the error page and the log. */
export function describeExit(facts: ExitFacts): string {
	const abnormal = facts.signal !== null || (facts.code !== null && facts.code !== 0);
	if (abnormal && /FATAL ERROR: .*(JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit)/.test(facts.stderr)) {
		return `it ran out of memory (limit ${facts.memoryLimitMb} MB)`;
	}
	if (facts.crash !== undefined) return `it crashed: ${facts.crash.name}: ${facts.crash.message}`;
	if (facts.spawnError !== undefined) return `it could not be started (${facts.spawnError.message})`;
	const fatal = /FATAL ERROR: ?(.*)/.exec(facts.stderr)?.[1]?.trim();
	if (fatal) return `it aborted (${fatal})`;
	if (facts.signal === 'SIGKILL') return 'it was killed (SIGKILL; the system may have run out of memory)';
	if (facts.signal !== null) return `it was killed by ${facts.signal}`;
	const firstError = facts.started ? undefined : /^\w*Error\b.*$/m.exec(facts.stderr)?.[0];
	return `it exited with code ${facts.code}${firstError ? ` (${firstError})` : ''}`;
}

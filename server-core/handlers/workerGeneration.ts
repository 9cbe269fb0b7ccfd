import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { Worker } from 'node:worker_threads';
import { TOKEN_HEADER, type WorkerMessage, type WorkerStartData } from './workerProtocol';

export interface GenerationOptions {
	workerPath: string;
	root: string;
	handlersDir: string;
	/** V8 old-space limit of the worker: a handler that leaks or allocates without bound kills only its worker. */
	memoryLimitMb: number;
}

/**
 * One handler worker thread ("generation N"): a fresh module cache, its own loopback port and token.
 * A changed handler gets a new generation instead of a re-import, so no stale module, timer or socket survives.
 */
export class WorkerGeneration {
	readonly token = randomBytes(16).toString('hex');
	/** Resolves with the worker's port once its server listens; rejects if it dies first. */
	readonly ready: Promise<number>;
	/** Resolves with why the worker stopped (crash, memory, timeout, replaced). */
	readonly exited: Promise<string>;
	readonly agent = new http.Agent({ keepAlive: true });
	/** Route file -> module URL imported (or about to be) by this generation. */
	readonly loaded = new Map<string, string>();
	private readonly _worker: Worker;
	private _port = 0;
	private _exitReason: string | undefined;
	private _stopReason: string | undefined;
	private _crash: Error | undefined;
	private _inflight = 0;
	private _retiring = false;

	constructor(readonly id: number, options: GenerationOptions) {
		const workerData: WorkerStartData = { token: this.token, root: options.root, handlersDir: options.handlersDir };
		this._worker = new Worker(options.workerPath, {
			workerData,
			execArgv: ['--enable-source-maps'],
			resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
		});
		this._worker.on('error', (error) => (this._crash = error));
		this.exited = new Promise((resolve) => {
			this._worker.once('exit', (code) => {
				this._exitReason = this._stopReason ?? describeExit(code, this._crash, options.memoryLimitMb);
				this.agent.destroy();
				resolve(this._exitReason);
			});
		});
		this.ready = new Promise((resolve, reject) => {
			this._worker.on('message', (message: WorkerMessage) => {
				if (message.type !== 'ready') return;
				this._port = message.port;
				// One ping first: the keep-alive connection then exists before the first real request.
				this._ping().finally(() => resolve(message.port));
			});
			void this.exited.then((reason) => reject(new Error(`The handler worker stopped before it was ready: ${reason}.`)));
		});
		this.ready.catch(() => undefined);
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
		return this._exitReason === undefined && this._stopReason === undefined && !this._retiring;
	}

	/** The uncaught error that crashed the worker, if it did. */
	get crash(): Error | undefined {
		return this._crash;
	}

	get exitReason(): string | undefined {
		return this._exitReason;
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

	/** Stops now, whatever runs (a busy loop included: V8 interrupts it). */
	async terminate(reason: string): Promise<void> {
		if (this._exitReason !== undefined) return;
		this._stopReason ??= reason;
		await this._worker.terminate();
		await this.exited;
	}
}

function describeExit(code: number, crash: Error | undefined, memoryLimitMb: number): string {
	if ((crash as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
		return `it ran out of memory (limit ${memoryLimitMb} MB)`;
	}
	if (crash !== undefined) return `it crashed: ${crash.name}: ${crash.message}`;
	return `it exited with code ${code}`;
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emitter, type Disposable } from '../disposable';
import type { FileChange } from '../reload/changeSource';
import { loadEsbuild, RouteCompiler, type BuildResult, type HandlerDiagnostic, type LoadEsbuild } from './compile';
import { SOURCE_EXTENSIONS, type Discovery } from './discovery';
import { MAX_FILES, RouteTable } from './routeTable';
import { matchRoute, type RouteMatch } from './router';
import { WorkerGeneration } from './workerGeneration';

export interface HandlerHostOptions {
	/** Absolute path of the served folder. */
	root: string;
	/** Absolute path of the handlers folder, inside `root` (not `root` itself). */
	dir: string;
	timeoutMs: number;
	memoryLimitMb: number;
	/** The bundled worker entry (dist/handlerWorker.js). */
	workerPath: string;
	/** How esbuild is loaded (tests replace it); defaults to importing the installed package. */
	loadEsbuild?: LoadEsbuild;
}

/** Handler code changed: pages that showed a handler should reload (the session forwards this to live reload). */
export interface HandlersChangedEvent {
	/** The changed files that affect handlers. */
	files: string[];
}

/** Diagnostics per file for the editor; an empty list clears a file. */
export interface HandlerDiagnosticsEvent {
	files: { file: string; diagnostics: HandlerDiagnostic[] }[];
}

/** Where to send a request: a live worker that has (or will import) the route's current module. */
export type Dispatch =
	| { ok: true; generation: WorkerGeneration; moduleUrl: string; compileMs: number | undefined }
	| { ok: false; result: Extract<BuildResult, { ok: false }> };

/**
 * Runs the handlers of one session. Compiles each route on demand (and again when one of its inputs changed),
 * and runs them in a worker process, one generation at a time: when a route's code changes after the current
 * worker imported it, a new generation takes over (a pre-started spare, so the swap costs no start-up time)
 * and the old one stops once its in-flight requests finish. Timeouts, crashes and memory exhaustion end only
 * the worker; the next request gets a fresh one.
 */
export class HandlerHost implements Disposable {
	readonly onDidChangeHandlers = new Emitter<HandlersChangedEvent>();
	readonly onDidChangeDiagnostics = new Emitter<HandlerDiagnosticsEvent>();
	/** Messages for the server log (a worker crashed, ran out of memory or was killed from outside). */
	readonly onDidLog = new Emitter<string>();
	/** URL path of the handlers folder, e.g. `/api`. */
	readonly urlPrefix: string;
	private readonly _table: RouteTable;
	private readonly _compilers = new Map<string, RouteCompiler>();
	private readonly _outDir: string;
	private readonly _reportedDiagnostics = new Map<string, string>();
	private _current: WorkerGeneration | undefined;
	private _spare: WorkerGeneration | undefined;
	/** Every generation whose process has not exited yet (current, spare, and retired ones finishing requests). */
	private readonly _live = new Set<WorkerGeneration>();
	private _swap: Promise<void> | undefined;
	private _generations = 0;
	private _compilerIds = 0;
	private _disposed = false;
	private _lastDiscovery: Discovery | undefined;
	/** Route warnings already logged. */
	private readonly _warned = new Set<string>();

	constructor(readonly options: HandlerHostOptions) {
		this.urlPrefix = '/' + path.relative(options.root, options.dir).split(path.sep).join('/');
		this._table = new RouteTable(options.dir, this.urlPrefix);
		this._outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-dev-server-handlers-'));
		// Start esbuild's service now, in the background: the first handler request then only compiles.
		(options.loadEsbuild ?? loadEsbuild)().catch(() => undefined);
	}

	match(pathname: string): RouteMatch | undefined {
		const discovery = this._table.discovery;
		if (discovery !== this._lastDiscovery) {
			this._pruneCompilers((this._lastDiscovery = discovery));
			this._warnAboutRoutes(discovery);
		}
		return matchRoute(discovery.routes, pathname);
	}

	/** Once per problem, in the server log: files that define no route although they look like they should. */
	private _warnAboutRoutes(discovery: Discovery): void {
		for (const { file, by } of discovery.shadowed) {
			const key = `shadowed:${file}:${by}`;
			if (this._warned.has(key)) continue;
			this._warned.add(key);
			this.onDidLog.fire(`Handler ${file} is ignored: ${by} answers the same route (${this.urlPrefix}/...). Rename or remove one of them.`);
		}
		if (this._table.truncated && !this._warned.has('truncated')) {
			this._warned.add('truncated');
			this.onDidLog.fire(`The handlers folder ${this.options.dir} has more than ${MAX_FILES} files: only the first ${MAX_FILES} were scanned for routes, so some handlers may be missing. Keep only handlers (and their helpers) in it.`);
		} else if (!this._table.truncated) {
			this._warned.delete('truncated');
		}
	}

	/**
	 * Compiles the route if needed and picks the worker generation that will run it. On success the request is
	 * already counted on that generation: the caller must call `generation.end()` when the exchange is over.
	 */
	async prepare(match: RouteMatch): Promise<Dispatch> {
		const file = path.join(this.options.dir, ...match.route.file.split('/'));
		const compiler = this._compilerFor(file);
		const { result, rebuilt } = await compiler.ensureFresh();
		if (rebuilt) this._publishDiagnostics();
		if (!result.ok) return { ok: false, result };
		const generation = await this._generationFor(file, result.moduleUrl);
		return { ok: true, generation, moduleUrl: result.moduleUrl, compileMs: rebuilt ? result.durationMs : undefined };
	}

	/**
	 * Files changed (from the session's change source). Changes that touch handler code rebuild the affected
	 * routes right away (so diagnostics and the next request are ready) and fire `onDidChangeHandlers`.
	 */
	invalidate(changes: readonly (FileChange | string)[]): void {
		const files = changes.map((change) => (typeof change === 'string' ? change : change.path));
		const inFolder = files.filter((file) => isInside(this.options.dir, file));
		if (inFolder.length > 0) this._table.invalidate();
		const affected = [...this._compilers.values()].filter((compiler) =>
			files.some((file) => compiler.dependsOn(file) || (compiler.last?.ok === false && SOURCE_EXTENSIONS.includes(path.extname(file)))));
		const relevant = files.filter((file) => isInside(this.options.dir, file) || affected.some((compiler) => compiler.dependsOn(file)));
		if (relevant.length === 0 && affected.length === 0) return;
		void Promise.all(affected.map((compiler) => compiler.rebuild())).then(() => {
			if (this._disposed) return;
			this._publishDiagnostics();
			this.onDidChangeHandlers.fire({ files: relevant.length > 0 ? relevant : files });
		});
	}

	/** Ends a generation now (a request timed out on it); the next request gets a fresh one. */
	recycle(generation: WorkerGeneration, reason: string): void {
		if (this._current === generation) this._current = undefined;
		void generation.terminate(reason).then(() => this._cleanOutputs());
	}

	async dispose(): Promise<void> {
		if (this._disposed) return;
		this._disposed = true;
		// Retired generations still finishing a request are stopped too: no worker process outlives its session.
		const generations = [...this._live];
		this._current = this._spare = undefined;
		for (const compiler of this._compilers.values()) compiler.dispose();
		this._compilers.clear();
		await Promise.all(generations.map((generation) => generation.terminate('the server stopped')));
		fs.rmSync(this._outDir, { recursive: true, force: true });
		this.onDidChangeHandlers.dispose();
		this.onDidChangeDiagnostics.dispose();
		this.onDidLog.dispose();
	}

	/** Routes that disappeared (file deleted or renamed) release their esbuild context. */
	private _pruneCompilers(discovery: Discovery): void {
		const live = new Set(discovery.routes.map((route) => path.join(this.options.dir, ...route.file.split('/'))));
		for (const [file, compiler] of this._compilers) {
			if (live.has(file)) continue;
			compiler.dispose();
			this._compilers.delete(file);
		}
	}

	private _compilerFor(file: string): RouteCompiler {
		let compiler = this._compilers.get(file);
		if (compiler === undefined) {
			const id = path.relative(this.options.dir, file).replace(/[^a-zA-Z0-9_-]+/g, '_') + '-' + ++this._compilerIds;
			compiler = new RouteCompiler(file, this.options.root, this._outDir, id, this.options.loadEsbuild);
			this._compilers.set(file, compiler);
		}
		return compiler;
	}

	/** The current (ready) generation, unless it stopped or already imported an older build of this route. */
	private async _generationFor(file: string, moduleUrl: string): Promise<WorkerGeneration> {
		for (;;) {
			if (this._disposed) throw new Error('The server is stopping.');
			if (this._swap) {
				await this._swap;
				continue;
			}
			const current = this._current;
			const loaded = current?.loaded.get(file);
			if (current !== undefined && current.usable && (loaded === undefined || loaded === moduleUrl)) {
				current.loaded.set(file, moduleUrl);
				current.begin(); // counted from now on, so a swap cannot stop it under this request
				return current;
			}
			this._swap = this._nextGeneration().finally(() => (this._swap = undefined));
		}
	}

	private async _nextGeneration(): Promise<void> {
		const spare = this._spare;
		this._spare = undefined;
		const next = spare?.usable ? spare : this._spawn();
		if (spare !== undefined && spare !== next) void spare.terminate('unusable spare');
		await next.ready;
		const previous = this._current;
		this._current = next;
		previous?.retire();
		void previous?.exited.then(() => this._cleanOutputs());
		// The spare boots in the background, after this request has had the CPU.
		setTimeout(() => this._ensureSpare(), 50).unref();
	}

	private _ensureSpare(): void {
		if (this._disposed || (this._spare !== undefined && this._spare.usable)) return;
		this._spare = this._spawn();
	}

	private _spawn(): WorkerGeneration {
		const generation = new WorkerGeneration(++this._generations, {
			workerPath: this.options.workerPath,
			root: this.options.root,
			handlersDir: this.options.dir,
			memoryLimitMb: this.options.memoryLimitMb,
		});
		this._live.add(generation);
		void generation.exited.then((reason) => {
			this._live.delete(generation);
			if (this._current === generation) this._current = undefined;
			if (this._spare === generation) this._spare = undefined;
			if (generation.failed && !this._disposed) {
				this.onDidLog.fire(`Handler worker ${generation.id} stopped: ${reason}. The next request starts a new one.${generation.crash?.stack ? `\n${generation.crash.stack}` : ''}`);
			}
		});
		return generation;
	}

	/** Deletes compiled modules that no build and no running generation refers to any more. */
	private _cleanOutputs(): void {
		if (this._disposed) return;
		const keep = new Set<string>();
		for (const compiler of this._compilers.values()) if (compiler.last?.ok) keep.add(compiler.last.moduleUrl);
		for (const generation of [this._current, this._spare]) for (const url of generation?.loaded.values() ?? []) keep.add(url);
		let names: string[];
		try {
			names = fs.readdirSync(this._outDir);
		} catch {
			return;
		}
		const keepFiles = new Set([...keep].map((url) => path.basename(fileURLToPath(url))));
		for (const name of names) if (!keepFiles.has(name)) fs.rmSync(path.join(this._outDir, name), { force: true });
	}

	/** Sends the files whose diagnostics changed since last time (empty lists clear them). */
	private _publishDiagnostics(): void {
		const byFile = new Map<string, HandlerDiagnostic[]>();
		for (const compiler of this._compilers.values()) {
			const last = compiler.last;
			const diagnostics = last === undefined ? [] : last.ok ? last.warnings : last.diagnostics;
			for (const diagnostic of diagnostics) {
				const file = diagnostic.file || compiler.entry;
				byFile.set(file, [...(byFile.get(file) ?? []), diagnostic]);
			}
		}
		const files: HandlerDiagnosticsEvent['files'] = [];
		for (const file of new Set([...byFile.keys(), ...this._reportedDiagnostics.keys()])) {
			const diagnostics = byFile.get(file) ?? [];
			const key = JSON.stringify(diagnostics);
			if (this._reportedDiagnostics.get(file) === key) continue;
			if (diagnostics.length === 0) this._reportedDiagnostics.delete(file);
			else this._reportedDiagnostics.set(file, key);
			files.push({ file, diagnostics });
		}
		if (files.length > 0) this.onDidChangeDiagnostics.fire({ files });
	}
}

function isInside(folder: string, file: string): boolean {
	const relative = path.relative(folder, file);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

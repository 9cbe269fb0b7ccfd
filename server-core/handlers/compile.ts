import type * as Esbuild from 'esbuild';
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { InputSnapshot } from './inputSnapshot';

/** One esbuild message, in the shape both the error page and editor diagnostics need. */
export interface HandlerDiagnostic {
	/** Absolute path, or '' when esbuild gave no location. */
	file: string;
	/** 1-based. */
	line: number;
	/** 0-based, as esbuild and LSP count. */
	column: number;
	length: number;
	severity: 'error' | 'warning';
	message: string;
	lineText: string;
}

export type BuildResult =
	| { ok: true; /** `file:` URL of the compiled module. */ moduleUrl: string; warnings: HandlerDiagnostic[]; durationMs: number }
	| {
		ok: false;
		/** What is wrong in the handler's sources; empty when esbuild itself could not run. */
		diagnostics: HandlerDiagnostic[];
		durationMs: number;
		/** esbuild could not run at all: the handler's code is not at fault (`compilerMissing`: not installed). */
		compilerError?: string;
		compilerMissing?: boolean;
	};

export type LoadEsbuild = () => Promise<typeof Esbuild>;

/** File times come from a coarser clock than Date.now() (a few ms behind): a margin so no mid-build save slips by. */
const CLOCK_SLACK_MS = 50;

let esbuildModule: Promise<typeof Esbuild> | undefined;

/** esbuild is loaded on first use (a session without handlers never starts its service process). */
export function loadEsbuild(): Promise<typeof Esbuild> {
	esbuildModule ??= import('esbuild');
	return esbuildModule;
}

/**
 * Compiles one handler entry (and the local modules it imports) into a single ESM file, incrementally: an esbuild
 * context per route, so a warm rebuild takes a few milliseconds and a broken handler never affects the others.
 * npm packages are not bundled: they are resolved where the handler lives (the workspace's node_modules) and
 * imported from there at run time.
 */
export class RouteCompiler {
	private _context: Promise<Esbuild.BuildContext<{ metafile: true; write: false }>> | undefined;
	private _last: BuildResult | undefined;
	private _inputs: InputSnapshot | undefined;
	private _lastCode = '';
	private _outputs = 0;
	private _pending: Promise<BuildResult> | undefined;

	constructor(
		private readonly _entry: string,
		private readonly _root: string,
		private readonly _outDir: string,
		private readonly _id: string,
		private readonly _loadEsbuild: LoadEsbuild = loadEsbuild,
	) {}

	get entry(): string {
		return this._entry;
	}

	get last(): BuildResult | undefined {
		return this._last;
	}

	/** Whether `file` was read by the last successful build. */
	dependsOn(file: string): boolean {
		return file === this._entry || this._inputs?.has(file) === true;
	}

	/** The current build, rebuilt first when never built, after a failure, or when an input changed. */
	ensureFresh(): Promise<{ result: BuildResult; rebuilt: boolean }> {
		if (this._pending) return this._pending.then((result) => ({ result, rebuilt: true }));
		if (this._last?.ok && this._inputs !== undefined && !this._inputs.isStale()) return Promise.resolve({ result: this._last, rebuilt: false });
		return this.rebuild().then((result) => ({ result, rebuilt: true }));
	}

	/** Rebuilds now (concurrent callers share one build). */
	rebuild(): Promise<BuildResult> {
		this._pending ??= this._build().finally(() => (this._pending = undefined));
		return this._pending;
	}

	private async _build(): Promise<BuildResult> {
		const started = performance.now();
		// States taken before esbuild reads the files: a save during the build makes the result stale, never "fresh".
		// The first build knows only its entry; files it finds (helpers) are judged by their mtime (see take()).
		const before = InputSnapshot.take(this._inputs?.files ?? [this._entry]);
		const unsureSince = Date.now() - CLOCK_SLACK_MS;
		let result: BuildResult;
		try {
			let context;
			try {
				context = await (this._context ??= this._createContext());
			} catch (error) {
				this._context = undefined;
				throw new CompilerUnavailableError(error);
			}
			const output = await context.rebuild();
			const inputs = Object.keys(output.metafile.inputs).map((input) => path.resolve(this._root, input));
			this._inputs = InputSnapshot.take(new Set([this._entry, ...inputs]), before, unsureSince);
			result = { ok: true, moduleUrl: this._write(output.outputFiles[0]!.text), warnings: toDiagnostics(output.warnings, this._root, 'warning'), durationMs: 0 };
		} catch (error) {
			this._inputs = undefined;
			const failure = error as Partial<Esbuild.BuildFailure>;
			const unavailable = error instanceof CompilerUnavailableError;
			if (unavailable || !Array.isArray(failure.errors)) {
				// esbuild did not run (missing, or its service failed): nothing to blame on the user's file. A failed
				// service leaves a dead context: the next build starts a new one.
				if (!unavailable) this.dispose();
				const cause = unavailable ? error.cause : error;
				result = { ok: false, diagnostics: [], durationMs: 0, compilerError: (cause as Error)?.message ?? String(cause), compilerMissing: unavailable && isMissingEsbuild(cause) };
			} else {
				const diagnostics = toDiagnostics(failure.errors, this._root, 'error');
				if (diagnostics.length === 0) diagnostics.push({ file: this._entry, line: 1, column: 0, length: 0, severity: 'error', message: (error as Error).message, lineText: '' });
				result = { ok: false, diagnostics, durationMs: 0 };
			}
		}
		result.durationMs = performance.now() - started;
		this._last = result;
		return result;
	}

	/** Same code as last time (a save without changes): same module, so no new worker generation is needed. */
	private _write(code: string): string {
		if (code === this._lastCode && this._last?.ok) return this._last.moduleUrl;
		this._lastCode = code;
		const file = path.join(this._outDir, `${this._id}.${++this._outputs}.mjs`);
		fs.mkdirSync(this._outDir, { recursive: true });
		fs.writeFileSync(file, code);
		return pathToFileURL(file).href;
	}

	private async _createContext() {
		const esbuild = await this._loadEsbuild();
		return esbuild.context({
			entryPoints: [this._entry],
			absWorkingDir: this._root,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			write: false,
			metafile: true,
			sourcemap: 'inline',
			sourcesContent: false,
			logLevel: 'silent',
			// Source map paths are relative to this name; the real file name only adds a counter in the same folder.
			outfile: path.join(this._outDir, `${this._id}.mjs`),
			// Bundled CommonJS helpers may call require(): give them one that resolves from the handler's folder.
			banner: { js: `import { createRequire as __ldsCreateRequire } from 'node:module'; const require = __ldsCreateRequire(${JSON.stringify(pathToFileURL(this._entry).href)});` },
			plugins: [workspacePackages(), sourceLocationMeta()],
		});
	}

	dispose(): void {
		const context = this._context;
		this._context = undefined;
		void context?.then((value) => value.dispose()).catch(() => undefined);
	}
}

/** Loading esbuild, or starting its service, failed. */
class CompilerUnavailableError extends Error {
	constructor(override readonly cause: unknown) {
		super(`esbuild could not be started: ${(cause as Error)?.message ?? String(cause)}`);
	}
}

/**
 * esbuild (or its native binary, @esbuild/<platform>) is not installed: the universal VSIX, or a platform VSIX
 * for another platform.
 */
function isMissingEsbuild(error: unknown): boolean {
	const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
	if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
	return typeof message === 'string' && /The package "@esbuild\/[^"]+" could not be found|Cannot find (module|package) ['"]esbuild['"]/.test(message);
}

/**
 * `packages: 'external'` would leave `import 'pkg'` for Node to resolve from the compiled file's folder (a temp
 * dir, where nothing is installed). Instead each package import is resolved by esbuild from the importing file,
 * with Node's conditions, and left external as an absolute `file:` URL: packages still load from the workspace at
 * run time, unbundled. Aliases that resolve to workspace sources (tsconfig `paths`) are bundled like local files.
 */
function workspacePackages(): Esbuild.Plugin {
	return {
		name: 'lds-workspace-packages',
		setup(build) {
			build.onResolve({ filter: /.*/ }, async (args) => {
				if (args.kind === 'entry-point' || args.pluginData?.ldsResolving || /^(\.|\/|[a-zA-Z]:[\\/]|file:)/.test(args.path)) return undefined;
				if (isBuiltin(args.path)) return { path: args.path, external: true };
				const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { ldsResolving: true } });
				if (resolved.errors.length > 0) return { errors: resolved.errors };
				if (resolved.external || !resolved.path.split(/[\\/]/).includes('node_modules')) return resolved;
				return { path: pathToFileURL(resolved.path).href, external: true };
			});
		},
	};
}

/** `import.meta.url`/`filename`/`dirname` keep pointing at the source file, not at the compiled copy in the temp dir. */
function sourceLocationMeta(): Esbuild.Plugin {
	return {
		name: 'lds-source-location',
		setup(build) {
			build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
				if (args.path.split(/[\\/]/).includes('node_modules')) return undefined;
				const text = await fs.promises.readFile(args.path, 'utf8');
				if (!text.includes('import.meta')) return undefined;
				const values: Record<string, string> = { url: pathToFileURL(args.path).href, filename: args.path, dirname: path.dirname(args.path) };
				const contents = text.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_match, key: string) => JSON.stringify(values[key]));
				return { contents, loader: loaderFor(args.path) };
			});
		},
	};
}

function loaderFor(file: string): Esbuild.Loader {
	const extension = path.extname(file);
	if (extension === '.tsx') return 'tsx';
	if (extension === '.jsx') return 'jsx';
	return /^\.[cm]?ts$/.test(extension) ? 'ts' : 'js';
}

function toDiagnostics(messages: readonly Esbuild.Message[], root: string, severity: HandlerDiagnostic['severity']): HandlerDiagnostic[] {
	return messages.map((message) => ({
		file: message.location ? path.resolve(root, message.location.file) : '',
		line: message.location?.line ?? 1,
		column: message.location?.column ?? 0,
		length: message.location?.length ?? 0,
		severity,
		message: message.text + message.notes.map((note) => `\n${note.text}`).join(''),
		lineText: message.location?.lineText ?? '',
	}));
}


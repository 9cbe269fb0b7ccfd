// Runs the real dist/extension.js in this Node process against the fake `vscode` module (fakeVscode.ts): the
// real bundle, the real LanguageClient and the real server process it forks. Each call loads a fresh copy of
// the bundle with a fresh fake, so one test file can activate several independent extensions in turn.
import type * as childProcess from 'node:child_process';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as ExtensionModule from '../../extension/extension';
import { createFakeVscode, Uri, type FakeWorld } from './fakeVscode';
import { REPO_ROOT } from './tempWorkspace';
import { waitFor } from './waitFor';

export interface ExtensionHost {
	world: FakeWorld;
	api: ExtensionModule.LiveDevServerApi;
	extension: typeof ExtensionModule;
	/** Milliseconds `require('dist/extension.js')` took. */
	loadMs: number;
	/** Every server process the LanguageClient forked, oldest first. */
	forked: childProcess.ChildProcess[];
	statusItem(): Record<string, unknown>;
	statusText(): string;
	tooltip(): string;
	/** Runs a registered command as VS Code would (its promise settles when the command is done). */
	run(command: string, ...args: unknown[]): Promise<unknown>;
	/** The first running folder's status, waiting for one. */
	running(): Promise<ExtensionModule.LiveDevServerApi['states']['running'][number]['status'] & object>;
	/** Lines of the "Live Dev Server" output channel. */
	log(): FakeWorld['logLines'];
	/** deactivate(), then kill whatever is left of the forked processes. */
	close(): Promise<void>;
}

export interface ExtensionHostOptions {
	workspaceRoot: string;
	/** Where dist/server.js is looked up (context.extensionUri); the repository by default. */
	extensionRoot?: string;
	settings?: Record<string, unknown>;
	/** Adjusts the fake before activation (trust, asExternalUri...). */
	prepare?(world: FakeWorld): void;
}

/** Where forks are recorded: the most recently activated host's list (one host runs at a time). */
let forked: childProcess.ChildProcess[] = [];
let installed = false;
let currentVscode: Record<string, unknown> | undefined;

/** `require('vscode')` gets the current fake; forks are recorded, to crash the server on purpose. */
function install(): void {
	if (installed) return;
	installed = true;
	const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
	const resolve = moduleInternals._resolveFilename;
	moduleInternals._resolveFilename = function (this: unknown, name: string, ...rest: unknown[]) {
		return name === 'vscode' ? 'vscode' : resolve.call(this, name, ...rest);
	};
	Object.defineProperty(moduleInternals._cache, 'vscode', {
		configurable: true,
		get: () => ({ id: 'vscode', filename: 'vscode', loaded: true, exports: currentVscode }),
	});
	// The CommonJS module object itself, which is what the bundle's require('child_process') returns.
	const cp = createRequire(__filename)('node:child_process') as { fork: typeof childProcess.fork };
	const fork = cp.fork;
	cp.fork = ((...args: Parameters<typeof fork>) => {
		const child = fork(...args);
		forked.push(child);
		return child;
	}) as typeof fork;
}

export function activateExtension(options: ExtensionHostOptions): ExtensionHost {
	install();
	const fake = createFakeVscode(options.workspaceRoot);
	const world = fake.world;
	for (const [key, value] of Object.entries(options.settings ?? {})) world.settings.set(key, value);
	options.prepare?.(world);
	currentVscode = fake.vscode;

	const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');
	const load = createRequire(__filename);
	delete load.cache[load.resolve(bundle)];
	const children: childProcess.ChildProcess[] = [];
	forked = children;
	const started = performance.now();
	const extension = load(bundle) as typeof ExtensionModule;
	const loadMs = performance.now() - started;
	const extensionRoot = options.extensionRoot ?? REPO_ROOT;
	const context = {
		extensionUri: Uri.file(extensionRoot),
		extensionPath: extensionRoot,
		extensionMode: 1,
		subscriptions: [] as { dispose(): unknown }[],
		asAbsolutePath: (relative: string) => path.join(REPO_ROOT, relative),
		globalStorageUri: Uri.file(path.join(options.workspaceRoot, '..', `${path.basename(options.workspaceRoot)}-storage`)),
	};
	const api = extension.activate(context as never);
	const statusItem = () => world.statusBarItems[0]!;
	return {
		world,
		api,
		extension,
		loadMs,
		forked: children,
		statusItem,
		statusText: () => String(statusItem().text),
		tooltip: () => {
			const tooltip = statusItem().tooltip;
			return typeof tooltip === 'string' ? tooltip : String((tooltip as { value: string } | undefined)?.value);
		},
		run: (command, ...args) => {
			const handler = world.commands.get(command);
			if (handler === undefined) throw new Error(`${command} is not registered`);
			return Promise.resolve(handler(...args));
		},
		running: () => waitFor(() => api.states.running[0]?.status, { what: 'a running server', timeoutMs: 10_000 }),
		log: () => world.logLines.filter((line) => line.channel === 'Live Dev Server'),
		async close() {
			await extension.deactivate();
			for (const subscription of context.subscriptions.splice(0).reverse()) subscription.dispose();
			for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		},
	};
}

import * as path from 'node:path';
import type { RequestStage } from '../http/pipeline';
import { DEFAULT_HANDLER_SETTINGS, type HandlerSettings } from '../protocol/settings';
import { HandlerHost, type HandlerDiagnosticsEvent, type HandlersChangedEvent } from './handlerHost';
import { createHandlerStage } from './handlerStage';

/** Session options about handlers, besides `handlers` in the settings. */
export interface HandlerSessionOptions {
	/** Handler code changed (reported through `session.handlers.invalidate`): reload pages that showed a handler. */
	onHandlersChanged?: (event: HandlersChangedEvent) => void;
	/** Compile diagnostics per file (for the editor's Problems panel). */
	onHandlerDiagnostics?: (event: HandlerDiagnosticsEvent) => void;
	/** Worker crashes nobody was waiting for. Defaults to stderr. */
	onHandlerLog?: (message: string) => void;
	/** Path of the bundled worker entry; defaults to `handlerWorker.js` next to the running bundle. */
	handlerWorkerPath?: string;
}

/** Resolves and checks the handlers folder: a folder inside the root, never the root itself. */
export function resolveHandlersDir(root: string, dir: string): string {
	const absolute = path.resolve(root, dir);
	const relative = path.relative(root, absolute);
	if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
		throw new Error(`The handlers folder must be a subfolder of the served folder (got "${dir}").`);
	}
	return absolute;
}

/** The host and its pipeline stage, or undefined when handlers are off. */
export function createHandlerHost(root: string, options: HandlerSessionOptions & { handlers?: HandlerSettings }): { host: HandlerHost; stage: RequestStage } | undefined {
	const settings = { ...DEFAULT_HANDLER_SETTINGS, ...options.handlers };
	if (!settings.enabled) return undefined;
	const host = new HandlerHost({
		root,
		dir: resolveHandlersDir(root, settings.dir),
		timeoutMs: settings.timeoutMs,
		memoryLimitMb: settings.memoryLimitMb,
		workerPath: options.handlerWorkerPath ?? path.join(__dirname, 'handlerWorker.js'),
	});
	if (options.onHandlersChanged) host.onDidChangeHandlers.on(options.onHandlersChanged);
	if (options.onHandlerDiagnostics) host.onDidChangeDiagnostics.on(options.onHandlerDiagnostics);
	const log = options.onHandlerLog ?? ((message: string) => process.stderr.write(`live-dev-server: ${message}\n`));
	host.onDidLog.on(log);
	return { host, stage: createHandlerStage(host) };
}

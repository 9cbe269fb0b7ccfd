import * as path from 'node:path';
import type { RequestStage } from '../http/pipeline';
import { sendErrorPage } from '../http/sendBody';
import { SOURCE_EXTENSIONS } from './discovery';
import type { HandlerHost } from './handlerHost';
import { proxyToWorker, sendHandlerError } from './handlerProxy';

/**
 * The pipeline stage for handlers, tried before static files. A request under the handlers folder's URL goes to
 * its route's handler when one matches (handlers win over files); handler source files (and helpers next to
 * them) are never served as static files; other files in the folder (JSON, images...) are served as usual.
 */
export function createHandlerStage(host: HandlerHost): RequestStage {
	const prefix = host.urlPrefix.toLowerCase();
	return (exchange) => {
		const decoded = normalizedPath(exchange.pathname);
		if (decoded === undefined) return false; // malformed: the static server answers 400
		const lower = decoded.toLowerCase();
		if (lower !== prefix && !lower.startsWith(prefix + '/')) return false;

		const match = host.match(exchange.pathname);
		if (match !== undefined) {
			exchange.source = 'handler';
			return runHandler(exchange, host, match).then(() => true);
		}
		const method = exchange.req.method;
		if (SOURCE_EXTENSIONS.includes(path.posix.extname(lower))) {
			exchange.source = 'static';
			sendErrorPage(exchange, { code: 404, message: 'File not found' });
			return true;
		}
		if (method !== 'GET' && method !== 'HEAD') {
			exchange.source = 'handler';
			sendErrorPage(exchange, { code: 404, message: `No handler matches ${decoded}` });
			return true;
		}
		return false;
	};
}

async function runHandler(exchange: Parameters<RequestStage>[0], host: HandlerHost, match: NonNullable<ReturnType<HandlerHost['match']>>): Promise<void> {
	const file = path.join(host.options.dir, ...match.route.file.split('/'));
	const where = { match, file, root: host.options.root };
	let dispatch;
	try {
		dispatch = await host.prepare(match);
	} catch (error) {
		exchange.error = `The handler worker could not start: ${(error as Error).message}`;
		return sendHandlerError(exchange, where, { status: 500, message: exchange.error, explain: 'Static files are still served. The next request tries again.' });
	}
	if (!dispatch.ok && dispatch.result.compilerError !== undefined) {
		const { compilerError, compilerMissing } = dispatch.result;
		exchange.error = compilerMissing ? `esbuild is not installed: ${compilerError}` : `esbuild could not run: ${compilerError}`;
		return sendHandlerError(exchange, where, compilerMissing
			? {
				status: 500,
				message: 'Request handlers need esbuild, which this installation does not include.',
				explain: `The universal VSIX of Live Dev Server serves static files and live reload but has no handler support (esbuild's native binary is per platform). Install the VSIX for your platform (npm run package:platform -- --target <platform>) to run handlers, or turn them off. Your handler's code was not compiled, so nothing here is about it. (${compilerError})`,
			}
			: {
				status: 500,
				message: `esbuild could not run: ${compilerError}`,
				explain: 'The compiler failed, not your handler. The next request tries again.',
			});
	}
	if (!dispatch.ok) {
		const errors = dispatch.result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
		exchange.error = `Compile error: ${errors[0]?.message.split('\n')[0] ?? 'unknown'}`;
		return sendHandlerError(exchange, where, {
			status: 500,
			message: `The handler failed to compile (${errors.length} error${errors.length === 1 ? '' : 's'}).`,
			explain: 'Fix the errors below and save: the next request compiles the handler again.',
			diagnostics: dispatch.result.diagnostics,
		});
	}
	return proxyToWorker(exchange, {
		...where,
		generation: dispatch.generation,
		moduleUrl: dispatch.moduleUrl,
		compileMs: dispatch.compileMs,
		timeoutMs: host.options.timeoutMs,
		onTimeout: (generation) => host.recycle(generation, 'a request on it timed out'),
	});
}

/**
 * The decoded path with empty and `.` segments collapsed, as the static server would resolve it, so that
 * `/API/time.ts`, `//api/time.ts` or `/%61pi/time.ts` are recognised as the handler folder too. Trailing dots
 * and spaces are dropped from each segment (Windows ignores them when opening files).
 */
function normalizedPath(pathname: string): string | undefined {
	let decoded: string;
	try {
		decoded = pathname.includes('%') ? decodeURIComponent(pathname) : pathname;
	} catch {
		return undefined;
	}
	if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
	const segments = decoded.split('/').map((segment) => segment.replace(/[. ]+$/, (tail) => (segment === tail ? tail : '')));
	return path.posix.normalize(segments.join('/'));
}

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { Disposable } from '../disposable';
import { parseRequestTarget, type Exchange } from '../http/exchange';
import { normalizeUrlPath, viewExchange } from '../http/exchangeView';
import { hostNameOf } from '../http/hostCheck';
import type { RequestStage } from '../http/pipeline';
import { resolveRequestPath } from '../http/resolvePath';
import { sendBuffer, sendErrorPage } from '../http/sendBody';
import { SERVER_NAME } from '../version';
import { buildCgiEnvironment } from './cgiEnvironment';
import { logUnansweredAsClientClosed } from '../features/clientClosed';
import { stripControlCharacters } from '../features/controlCharacters';
import { killTree } from './cgiProcess';
import { hasRequestBody, MAX_CHUNKED_BODY_BYTES, needsBuffering, readChunkedBody, withoutBodyHeaders } from './cgiRequestBody';
import { findBodyStart, findHeader, groupHeaders, MAX_CGI_HEADER_BYTES, parseCgiHeaders, type CgiResponse } from './cgiResponse';
import { cgiDirFor, findScript, scriptCommand, type CgiConfig } from './cgiScripts';

export interface CgiRunnerOptions {
	root: string;
	config: CgiConfig;
	dotfilesAllow: readonly string[];
	/** Answers a request at another path (for local redirects): every stage, then static files. */
	dispatch: (exchange: Exchange) => void | Promise<void>;
}

/** Output beyond this is streamed instead of held until the script exits (and then cannot become a 502). */
const MAX_HELD_BYTES = 1024 * 1024;
const MAX_STDERR_BYTES = 4 * 1024;
const MAX_LOCAL_REDIRECTS = 5;

/**
 * CGI/1.1 (RFC 3875) for scripts in the configured folders: the script runs without a shell, gets the request body
 * on stdin and the meta-variables in its environment; its output's header block sets status and headers (Status:,
 * Location: local and client redirects). Failures answer 502 (504 on timeout) and put stderr in the request log,
 * never in the response.
 */
export class CgiRunner implements Disposable {
	readonly stage: RequestStage = (exchange) => this._handle(exchange);
	private readonly _running = new Set<ChildProcess>();
	private readonly _redirects = new WeakMap<object, number>();
	private _realRoot: string | undefined;

	constructor(private readonly _options: CgiRunnerOptions) {}

	dispose(): void {
		for (const child of this._running) killTree(child);
		this._running.clear();
	}

	private _handle(exchange: Exchange): boolean | Promise<boolean> {
		const normalized = normalizeUrlPath(exchange.pathname);
		if (normalized === undefined) return false; // malformed: the static server answers 400
		const dir = cgiDirFor(this._options.config, normalized);
		if (dir === undefined) return false;
		exchange.source = 'cgi';
		logUnansweredAsClientClosed(exchange.res);
		const resolved = resolveRequestPath(this._options.root, exchange.pathname, { dotfilesAllow: this._options.dotfilesAllow });
		if (!resolved.ok) {
			sendErrorPage(exchange, { code: resolved.status, message: resolved.reason });
			return true;
		}
		return this._run(exchange, resolved.decodedPath, dir).then(() => true);
	}

	private async _run(exchange: Exchange, decodedPath: string, dir: string): Promise<void> {
		const { root, config } = this._options;
		this._realRoot ??= await fs.promises.realpath(root);
		const segments = decodedPath.split('/').filter((segment) => segment !== '' && segment !== '.');
		const script = await findScript(root, this._realRoot, segments, dir.split('/').length - 1);
		if (!script.ok) return sendErrorPage(exchange, { code: script.status, message: script.reason });
		const command = await scriptCommand(config, script.file);
		if (!command.ok) {
			exchange.error = command.reason;
			return sendErrorPage(exchange, { code: 403, message: command.reason });
		}
		const { req } = exchange;
		let body: Buffer | undefined;
		if (needsBuffering(req.headers)) {
			const read = await readChunkedBody(req);
			if (!read.ok && read.reason === 'aborted') return; // the client left: the log says so
			if (!read.ok) {
				exchange.error = `CGI: the chunked request body for ${script.scriptName} is larger than ${MAX_CHUNKED_BODY_BYTES / 1024 / 1024} MiB (it is held to count its CONTENT_LENGTH); send a Content-Length to stream it.`;
				return sendErrorPage(exchange, { code: 413, message: 'The request body is too large for a CGI script.', explain: `Bodies without a Content-Length are held (up to ${MAX_CHUNKED_BODY_BYTES / 1024 / 1024} MiB) so that the script gets their length.` }, { Connection: 'close' });
			}
			body = read.body;
		}
		const env = buildCgiEnvironment({
			method: req.method ?? 'GET',
			requestUri: req.url ?? exchange.pathname,
			scriptName: script.scriptName,
			pathInfo: script.pathInfo,
			queryString: exchange.search.replace(/^\?/, ''),
			headers: req.headers,
			bodyLength: body?.length,
			remoteAddress: req.socket.remoteAddress ?? '',
			remotePort: req.socket.remotePort,
			serverName: hostNameOf(req.headers.host ?? '') ?? req.socket.localAddress ?? '127.0.0.1',
			serverPort: req.socket.localPort ?? 0,
			httpVersion: req.httpVersion,
			https: (req.socket as { encrypted?: boolean }).encrypted === true,
			scriptFilename: script.file,
			documentRoot: root,
			pathTranslated: script.pathInfo ? path.join(root, script.pathInfo) : undefined,
			serverSoftware: SERVER_NAME,
		});
		// No shell, and never the query string as arguments (RFC 3875 §4.4's "search string" rule; CVE-2012-1823).
		const child = spawn(command.command, command.args, {
			cwd: path.dirname(script.file),
			env,
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: process.platform !== 'win32', // its own process group, so a timeout kills its children too
			windowsHide: true,
		});
		this._running.add(child);
		await this._converse(exchange, child, script.scriptName, body);
		this._running.delete(child);
	}

	/** Feeds the body, collects the output, enforces the timeout and answers. Resolves when the exchange is over. */
	private _converse(exchange: Exchange, child: ChildProcess, scriptName: string, body: Buffer | undefined): Promise<void> {
		const { req, res } = exchange;
		const { timeoutMs } = this._options.config;
		return new Promise<void>((resolve) => {
			const chunks: Buffer[] = [];
			let held = 0;
			let stderr = '';
			/** holding: output kept until exit; streaming: piped to the response; redirecting: a local redirect, the rest is discarded. */
			let state: 'holding' | 'streaming' | 'redirecting' = 'holding';
			let localRedirect = '';
			let done = false;
			const finish = () => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				resolve();
			};
			const fail = (status: 502 | 504, message: string, logged: string) => {
				exchange.error = stderr.trim() ? `${logged}\nstderr: ${stderr.trim()}` : logged;
				if (res.headersSent || res.destroyed) return void res.destroy();
				try {
					sendErrorPage(exchange, { code: status, message, explain: 'The details (and the script\'s stderr) are in the server\'s request log.' });
				} catch {
					res.destroy(); // never an exception out of a child process event: it would take the server down
				}
			};
			const malformed = (reason: string) => fail(502, `The CGI script ${scriptName} sent a malformed response.`, `CGI: malformed response from ${scriptName}: ${reason}.`);
			const timer = setTimeout(() => {
				killTree(child);
				fail(504, `The CGI script ${scriptName} did not finish within ${timeoutMs} ms.`, `CGI: ${scriptName} timed out after ${timeoutMs} ms and was killed.`);
				finish();
			}, timeoutMs);
			/** Past MAX_HELD_BYTES: the headers are parsed once, then the output streams (or, after a local redirect, is dropped). */
			const stopHolding = () => {
				const output = Buffer.concat(chunks);
				chunks.length = 0;
				const parsed = this._parse(output);
				if (!parsed.ok) {
					killTree(child);
					malformed(parsed.reason);
					return finish();
				}
				if (parsed.response.kind === 'local-redirect') {
					state = 'redirecting'; // answered at exit; the body of a redirect means nothing
					localRedirect = parsed.response.location;
					return;
				}
				state = 'streaming';
				const { status, reason, headers } = parsed.response;
				try {
					res.writeHead(status, reason, Object.fromEntries(groupHeaders(headers)));
				} catch (error) {
					// What the parser let through but Node still refuses: nothing was sent yet, so it is a clean 502.
					killTree(child);
					resetUnsentResponse(res);
					malformed((error as Error).message);
					return finish();
				}
				res.write(output.subarray(parsed.bodyStart));
				child.stdout!.pipe(res);
			};

			res.once('close', () => {
				if (!res.writableFinished) killTree(child); // the client went away
				finish();
			});
			child.stdin!.on('error', () => {}); // a script that does not read its input closes stdin early: fine
			if (body !== undefined) child.stdin!.end(body);
			else if (hasRequestBody(req.headers)) req.pipe(child.stdin!);
			else child.stdin!.end();
			child.stderr!.on('data', (chunk: Buffer) => {
				// Into the log, which the CLI prints on a terminal: no escape sequences from the script.
				if (stderr.length < MAX_STDERR_BYTES) stderr += stripControlCharacters(chunk.toString('utf8')).slice(0, MAX_STDERR_BYTES - stderr.length);
			});
			child.stdout!.on('data', (chunk: Buffer) => {
				if (done || state !== 'holding') return; // streaming: piped; redirecting: discarded
				chunks.push(chunk);
				held += chunk.length;
				if (held > MAX_HELD_BYTES) stopHolding();
			});
			child.on('error', (error: NodeJS.ErrnoException) => {
				const reason = error.code === 'ENOENT'
					? `${child.spawnfile} was not found (the interpreter named by its #! line, or mapped to its extension, is missing)`
					: error.code === 'EACCES' ? `${child.spawnfile} cannot be executed (permission denied)` : error.message;
				fail(502, `The CGI script ${scriptName} could not be started.`, `CGI: ${scriptName} could not be started: ${reason}.`);
				finish();
			});
			child.on('close', (code, signal) => {
				if (done) return;
				if (state === 'streaming') {
					if (code !== 0) exchange.error = `CGI: ${scriptName} exited with ${signal ?? `code ${code}`} while its output was streamed.${stderr.trim() ? `\nstderr: ${stderr.trim()}` : ''}`;
					return; // the piped stream ends the response
				}
				if (code !== 0) {
					fail(502, `The CGI script ${scriptName} failed.`, `CGI: ${scriptName} exited with ${signal ?? `code ${code}`}.`);
					return finish();
				}
				let answered: Promise<void>;
				if (state === 'redirecting') answered = this._redirectLocally(exchange, localRedirect);
				else {
					const output = Buffer.concat(chunks);
					const parsed = this._parse(output);
					if (!parsed.ok) {
						malformed(parsed.reason);
						return finish();
					}
					answered = this._answer(exchange, parsed.response, output.subarray(parsed.bodyStart));
				}
				answered.then(finish, (error: unknown) => {
					resetUnsentResponse(res);
					fail(502, 'The CGI response could not be sent.', `CGI: ${(error as Error).message}`);
					finish();
				});
			});
		});
	}

	private _parse(output: Buffer): { ok: true; response: CgiResponse; bodyStart: number } | { ok: false; reason: string } {
		const bodyStart = findBodyStart(output);
		if (bodyStart === -1) {
			return { ok: false, reason: output.length > MAX_CGI_HEADER_BYTES ? `no end of headers in the first ${MAX_CGI_HEADER_BYTES} bytes` : 'the output ended before the empty line that ends the headers' };
		}
		if (bodyStart > MAX_CGI_HEADER_BYTES) return { ok: false, reason: `headers longer than ${MAX_CGI_HEADER_BYTES} bytes` };
		const parsed = parseCgiHeaders(output.subarray(0, bodyStart).toString('latin1'));
		return parsed.ok ? { ok: true, response: parsed.response, bodyStart } : parsed;
	}

	private async _answer(exchange: Exchange, response: CgiResponse, body: Buffer): Promise<void> {
		if (response.kind === 'local-redirect') return this._redirectLocally(exchange, response.location);
		const headers = Object.fromEntries(groupHeaders(response.headers));
		const isHtml = /^text\/html\b/i.test(findHeader(response.headers, 'content-type') ?? '');
		const noTransform = /\bno-transform\b/i.test(findHeader(response.headers, 'cache-control') ?? '');
		const finalBody = isHtml && !noTransform && exchange.htmlTransform && !findHeader(response.headers, 'content-encoding') ? exchange.htmlTransform.apply(body, exchange.urlPath) : body;
		if (response.reason !== undefined) exchange.res.statusMessage = response.reason;
		sendBuffer(exchange, response.status, headers, finalBody);
	}

	/** RFC 3875 §6.2.2: answer as if the new path had been requested with GET (bounded, so scripts cannot loop). */
	private async _redirectLocally(exchange: Exchange, location: string): Promise<void> {
		const count = (this._redirects.get(exchange.res) ?? 0) + 1; // the response is the one object every view shares
		this._redirects.set(exchange.res, count);
		const target = parseRequestTarget(location);
		if (target === undefined || count > MAX_LOCAL_REDIRECTS) {
			exchange.error = target === undefined ? `CGI: invalid local redirect to ${location}` : `CGI: more than ${MAX_LOCAL_REDIRECTS} local redirects (last to ${location})`;
			return sendErrorPage(exchange, { code: 502, message: 'The CGI script redirected in a way that cannot be followed.' });
		}
		const { req } = exchange;
		const view = viewExchange(exchange, target.pathname, target.search);
		const getRequest = Object.create(req, {
			method: { value: req.method === 'HEAD' ? 'HEAD' : 'GET' },
			url: { value: location },
			headers: { value: withoutBodyHeaders(req.headers) }, // the body (if any) was the first script's
		}) as IncomingMessage;
		Object.defineProperty(view, 'req', { value: getRequest });
		await this._options.dispatch(view);
	}
}

/** After a writeHead that threw: drops what it left behind (the script's headers, its reason phrase) before an error page. */
function resetUnsentResponse(res: ServerResponse): void {
	if (res.headersSent) return;
	for (const name of res.getHeaderNames()) res.removeHeader(name);
	res.statusMessage = '';
}

import * as path from 'node:path';
import { DiskFileSource, type FileSource } from './documents/fileSource';
import { createHandlerHost, type HandlerSessionOptions } from './handlers/handlerSession';
import type { HandlerHost } from './handlers/handlerHost';
import { createHostPolicy } from './http/hostCheck';
import { HttpServer, type ListeningAddress } from './http/httpServer';
import { createPipeline } from './http/pipeline';
import type { RequestLogSink } from './http/requestLogger';
import { StaticFiles } from './http/staticFiles';
import type { ServerSettings } from './protocol/settings';

export interface SessionOptions extends ServerSettings, HandlerSessionOptions {
	/** Folder to serve (absolute or relative to the working directory). */
	root: string;
	source?: FileSource;
	onRequestLogged?: RequestLogSink;
	onClientError?: (status: number, code: string, remoteAddress: string | undefined) => void;
	headersTimeoutMs?: number;
}

/** One served folder: its HTTP server and everything that answers requests for it. */
export class Session {
	private constructor(
		readonly root: string,
		readonly address: ListeningAddress,
		private readonly _httpServer: HttpServer,
		readonly staticFiles: StaticFiles,
		/** Present when handlers are enabled; `handlers.invalidate(changes)` takes file changes. */
		readonly handlers: HandlerHost | undefined,
	) {}

	static async start(options: SessionOptions): Promise<Session> {
		const root = path.resolve(options.root);
		const staticFiles = await StaticFiles.create({
			root,
			source: options.source ?? new DiskFileSource(),
			dotfilesAllow: options.dotfilesAllow,
			listingsCacheable: false,
		});
		const handlers = createHandlerHost(root, options);
		const pipeline = createPipeline({
			hostPolicy: createHostPolicy(options.host, options.allowedHosts),
			staticFiles,
			stages: handlers ? [handlers.stage] : [],
			onRequestLogged: options.onRequestLogged,
		});
		const httpServer = new HttpServer(pipeline, {
			host: options.host,
			port: options.port,
			portExplicit: options.portExplicit,
			headersTimeoutMs: options.headersTimeoutMs,
			onClientError: options.onClientError,
		});
		let address: ListeningAddress;
		try {
			address = await httpServer.listen();
		} catch (error) {
			await handlers?.host.dispose();
			throw error;
		}
		return new Session(root, address, httpServer, staticFiles, handlers?.host);
	}

	get url(): string {
		return this.address.url;
	}

	async close(): Promise<void> {
		// Together: stopping the workers answers hanging handler requests, which lets the HTTP server drain.
		await Promise.all([this._httpServer.close(), this.handlers?.dispose()]);
	}
}

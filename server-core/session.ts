import * as path from 'node:path';
import { DiskFileSource, type FileSource } from './documents/fileSource';
import { createHostPolicy } from './http/hostCheck';
import { HttpServer, type ListeningAddress } from './http/httpServer';
import { createPipeline } from './http/pipeline';
import type { RequestLogSink } from './http/requestLogger';
import { StaticFiles } from './http/staticFiles';
import type { ServerSettings } from './protocol/settings';

export interface SessionOptions extends ServerSettings {
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
	) {}

	static async start(options: SessionOptions): Promise<Session> {
		const root = path.resolve(options.root);
		const staticFiles = await StaticFiles.create({
			root,
			source: options.source ?? new DiskFileSource(),
			dotfilesAllow: options.dotfilesAllow,
			listingsCacheable: false,
		});
		const pipeline = createPipeline({
			hostPolicy: createHostPolicy(options.host, options.allowedHosts),
			staticFiles,
			onRequestLogged: options.onRequestLogged,
		});
		const httpServer = new HttpServer(pipeline, {
			host: options.host,
			port: options.port,
			portExplicit: options.portExplicit,
			headersTimeoutMs: options.headersTimeoutMs,
			onClientError: options.onClientError,
		});
		const address = await httpServer.listen();
		return new Session(root, address, httpServer, staticFiles);
	}

	get url(): string {
		return this.address.url;
	}

	async close(): Promise<void> {
		await this._httpServer.close();
	}
}

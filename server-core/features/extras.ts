import type { Duplex } from 'node:stream';
import type { Disposable } from '../disposable';
import type { FileSource } from '../documents/fileSource';
import { CgiRunner } from '../cgi/cgiStage';
import { compileCgiSettings, type CgiConfig } from '../cgi/cgiScripts';
import type { Exchange } from '../http/exchange';
import type { HostPolicy } from '../http/hostCheck';
import type { UpgradeHandler } from '../http/httpServer';
import { createMounts, createMountStage, type Mount } from '../http/mounts';
import { STATIC_ALLOW, type RequestStage } from '../http/pipeline';
import type { RequestLogSink } from '../http/requestLogger';
import { compileCorsPolicy, compileHeaderRules, createResponseHeadersStage } from '../http/responseHeaders';
import { sendErrorPage } from '../http/sendBody';
import { createSpaFallbackStage, resolveSpaFallback } from '../http/spaFallback';
import type { StaticFiles } from '../http/staticFiles';
import { loadTlsCredentials, type TlsCredentials } from '../https/tlsCredentials';
import { DEFAULT_CGI_SETTINGS, DEFAULT_SETTINGS, type ServerSettings } from '../protocol/settings';
import { createProxyRoutes, disposeRoutes, type ProxyRoute } from '../proxy/proxyRoute';
import { createProxyStage } from '../proxy/proxyStage';
import { createProxyUpgradeHandler } from '../proxy/proxyUpgrade';

export interface ExtrasInput {
	root: string;
	settings: ServerSettings;
	source: FileSource;
}

export interface ExtraStages {
	/** Tried right after the live-reload endpoint, before handlers: custom headers and CORS. */
	leading: RequestStage[];
	/** Tried after handlers, in this order: proxy, CGI, mounts, SPA fallback (then static files). */
	trailing: RequestStage[];
}

/**
 * The features of issue 7 for one session: HTTPS, proxy, SPA fallback, custom headers and CORS, mounts and CGI
 * (the console relay lives in LiveReload). `create` validates every setting first and throws a SettingsError
 * naming the first problem, before anything listens; nothing here is active unless its setting is.
 */
export class Extras implements Disposable {
	private _cgi: CgiRunner | undefined;
	private readonly _tunnels = new Set<Duplex>();

	private constructor(
		private readonly _input: ExtrasInput,
		/** Present when HTTPS is on. */
		readonly tls: TlsCredentials | undefined,
		readonly proxies: readonly ProxyRoute[],
		readonly mounts: readonly Mount[],
		readonly cgi: CgiConfig | undefined,
		private readonly _headers: RequestStage | undefined,
		/** URL path of the SPA fallback file, when the fallback is on. */
		private readonly _spaFallback: string | undefined,
	) {}

	static async create(input: ExtrasInput): Promise<Extras> {
		const { root, settings } = input;
		const https = settings.https ?? DEFAULT_SETTINGS.https!;
		const tls = https.enabled ? loadTlsCredentials(https, root, new Date(), [settings.host, ...settings.allowedHosts]) : undefined;
		const headers = createResponseHeadersStage(compileHeaderRules(settings.headers ?? {}), compileCorsPolicy(settings.cors ?? []));
		const cgiSettings = { ...DEFAULT_CGI_SETTINGS, ...settings.cgi };
		const cgi = cgiSettings.enabled ? compileCgiSettings(cgiSettings) : undefined;
		const spaFallback = settings.spa ? resolveSpaFallback(settings.spa, root, input.source, settings.dotfilesAllow) : undefined;
		const mounts = await createMounts(settings.mounts ?? [], root, input.source, settings.dotfilesAllow);
		// Last: it holds agents, released by dispose().
		const proxies = createProxyRoutes(settings.proxy ?? [], { host: settings.host, port: settings.port, portExplicit: settings.portExplicit });
		return new Extras(input, tls, proxies, mounts, cgi, headers, spaFallback);
	}

	/** The stages, given the session's static files (for the SPA fallback and for CGI local redirects). */
	stages(staticFiles: StaticFiles, allStages: () => readonly RequestStage[]): ExtraStages {
		const { root, settings, source } = this._input;
		const trailing: RequestStage[] = [];
		if (this.proxies.length > 0) trailing.push(createProxyStage(this.proxies));
		if (this.cgi) {
			this._cgi = new CgiRunner({
				root,
				config: this.cgi,
				dotfilesAllow: settings.dotfilesAllow,
				dispatch: (exchange) => dispatch(exchange, allStages(), staticFiles),
			});
			trailing.push(this._cgi.stage);
		}
		if (this.mounts.length > 0) trailing.push(createMountStage(this.mounts));
		if (this._spaFallback) trailing.push(createSpaFallbackStage({ root, fallbackPath: this._spaFallback, staticFiles, source, dotfilesAllow: settings.dotfilesAllow }));
		return { leading: this._headers ? [this._headers] : [], trailing };
	}

	upgradeHandlers(hostPolicy: HostPolicy, log: RequestLogSink | undefined): UpgradeHandler[] {
		return this.proxies.length > 0 ? [createProxyUpgradeHandler(this.proxies, hostPolicy, log, this._tunnels)] : [];
	}

	dispose(): void {
		for (const socket of this._tunnels) socket.destroy();
		this._tunnels.clear();
		this._cgi?.dispose();
		disposeRoutes(this.proxies);
	}
}

/** Answers an exchange from the top of the pipeline (after the host check): stages, then static files. */
async function dispatch(exchange: Exchange, stages: readonly RequestStage[], staticFiles: StaticFiles): Promise<void> {
	for (const stage of stages) if (await stage(exchange)) return;
	const method = exchange.req.method;
	if (method === 'GET' || method === 'HEAD') return staticFiles.handle(exchange);
	exchange.source = 'static';
	sendErrorPage(exchange, { code: 405, message: `Method ${method} is not allowed for static files` }, { Allow: STATIC_ALLOW });
}

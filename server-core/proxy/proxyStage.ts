import type * as http from 'node:http';
import { logUnansweredAsClientClosed } from '../features/clientClosed';
import type { Exchange } from '../http/exchange';
import type { RequestStage } from '../http/pipeline';
import { relayBody } from '../http/relayBody';
import { sendErrorPage } from '../http/sendBody';
import {
	backendPath, backendRequestHeaders, describeBackendError, endToEndHeaders, findRoute, hasDotSegment, isProxyLoop, requestOptions, rewriteLocation, sendRequest,
	type ProxyRoute,
} from './proxyRoute';

/**
 * Forwards requests under the configured prefixes to their backends: any method, bodies streamed both ways (never
 * buffered, except HTML that gets the live-reload script), the backend's status and headers relayed as they are.
 * A client that leaves aborts the backend request; a backend that is down answers 502, a slow one 504.
 */
export function createProxyStage(routes: readonly ProxyRoute[]): RequestStage {
	return (exchange) => {
		const route = findRoute(routes, exchange.pathname);
		if (route === undefined) return false;
		exchange.source = 'proxy';
		logUnansweredAsClientClosed(exchange.res);
		if (hasDotSegment(exchange.pathname)) {
			exchange.error = 'Proxy: a path with "." or ".." segments is not forwarded (the backend would resolve it, possibly outside the proxied prefix).';
			sendErrorPage(exchange, { code: 400, message: 'Paths with "." or ".." segments are not forwarded.' });
			return true;
		}
		if (isProxyLoop(exchange.req, route)) {
			exchange.error = `Proxy: the request came back to this server through ${route.label} (a proxy loop); it was not forwarded again.`;
			sendErrorPage(exchange, { code: 508, message: `Proxy loop: requests under ${route.prefix} are forwarded to ${route.label}, which leads back to this server.`, explain: 'Point the proxy setting at the backend, not at this server (or at something that proxies to it).' });
			return true;
		}
		return forward(exchange, route, true).then(() => true);
	};
}

function forward(exchange: Exchange, route: ProxyRoute, mayRetry: boolean): Promise<void> {
	const { req, res } = exchange;
	const headers = backendRequestHeaders(req, route);
	// Page loads ask for an uncompressed body, so the live-reload script can be injected into proxied pages.
	if (exchange.htmlTransform !== undefined && /\btext\/html\b/i.test(String(req.headers.accept ?? ''))) headers['accept-encoding'] = 'identity';
	const method = req.method ?? 'GET';
	const upstream = sendRequest(route, requestOptions(route, method, backendPath(route, exchange.pathname, exchange.search), headers));
	return new Promise<void>((resolve) => {
		let settled = false;
		const finish = () => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve();
		};
		const timer = setTimeout(() => {
			upstream.destroy();
			exchange.error = `The backend ${route.label} did not answer within ${route.timeoutMs} ms.`;
			sendErrorPage(exchange, { code: 504, message: exchange.error, explain: 'The proxy gave up waiting for the response headers. The timeout is configurable (proxy timeoutMs, --proxy-timeout).' });
			finish();
		}, route.timeoutMs);

		res.once('close', () => {
			if (!res.writableFinished) upstream.destroy(); // the browser went away: so does the backend request
			finish();
		});
		upstream.on('response', (backendRes) => {
			clearTimeout(timer);
			relay(exchange, route, backendRes).finally(finish);
		});
		upstream.on('error', (error: NodeJS.ErrnoException) => {
			if (settled || res.writableEnded) return;
			// A kept-alive connection the backend had already closed: only a safe request without a body is sent again
			// (a POST or DELETE may have been acted on before the reset; RFC 9110 §9.2.2).
			if (mayRetry && upstream.reusedSocket && error.code === 'ECONNRESET' && RETRYABLE_METHODS.has(method) && !hasBody(req)) {
				clearTimeout(timer);
				settled = true;
				void forward(exchange, route, false).then(resolve);
				return;
			}
			exchange.error = `Proxy: ${describeBackendError(route, error)}.`;
			if (res.headersSent) res.destroy();
			else sendErrorPage(exchange, { code: 502, message: `${capitalize(describeBackendError(route, error))}.`, explain: `Requests under ${route.prefix} are forwarded to ${route.label}. Start the backend or fix the proxy setting; this page reloads by itself when a file changes.` });
			finish();
		});
		if (hasBody(req)) req.pipe(upstream);
		else upstream.end();
	});
}

async function relay(exchange: Exchange, route: ProxyRoute, backendRes: http.IncomingMessage): Promise<void> {
	const { res } = exchange;
	const headers = endToEndHeaders(backendRes.headers);
	if (typeof headers.location === 'string') headers.location = rewriteLocation(route, headers.location);
	let broken = false;
	backendRes.once('aborted', () => (broken = true));
	backendRes.once('error', () => (broken = true));
	try {
		await relayBody(exchange, backendRes.statusCode ?? 502, headers, backendRes, backendRes.statusMessage);
	} catch (error) {
		if (broken || !res.destroyed) exchange.error = `Proxy: the backend's response broke off: ${(error as Error).message}.`;
		res.destroy();
	}
}

const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(req: http.IncomingMessage): boolean {
	return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

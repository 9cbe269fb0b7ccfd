import type * as http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { parseRequestTarget } from '../http/exchange';
import { isHostHeaderAllowed, type HostPolicy } from '../http/hostCheck';
import { refuseUpgrade, type UpgradeHandler } from '../http/httpServer';
import { isWebSocketUpgrade } from '../http/plainUpgrade';
import type { RequestLogSink } from '../http/requestLogger';
import { redactHeaders } from '../protocol/requestLog';
import { backendPath, backendRequestHeaders, describeBackendError, findRoute, hasDotSegment, isProxyLoop, requestOptions, sendRequest, type ProxyRoute } from './proxyRoute';

/**
 * Forwards WebSocket upgrades under proxied prefixes: the handshake goes to the backend, and once it
 * answers 101 the two sockets are piped to each other byte for byte. A refusal is relayed as the backend sent it.
 */
export function createProxyUpgradeHandler(
	routes: readonly ProxyRoute[],
	hostPolicy: HostPolicy,
	log?: RequestLogSink,
	/** Open tunnels, so closing the session can end them (upgraded sockets would keep the HTTP server open). */
	tunnels: Set<Duplex> = new Set(),
): UpgradeHandler {
	return (req, socket, head) => {
		if (!isWebSocketUpgrade(req)) return false; // other upgrades are plain requests (the HTTP server sees to it)
		const target = parseRequestTarget(req.url);
		const route = target && findRoute(routes, target.pathname);
		if (!target || !route) return false;
		const started = performance.now();
		const report = (status: number, error?: string) => log?.({
			time: Date.now() - (performance.now() - started),
			clientAddress: (socket as Socket).remoteAddress ?? '-',
			method: req.method ?? '-',
			path: req.url ?? '-',
			protocol: `HTTP/${req.httpVersion}`,
			status,
			bytes: 0,
			durationMs: performance.now() - started,
			source: 'proxy',
			requestHeaders: redactHeaders(req.headers),
			responseHeaders: {},
			...(error === undefined ? {} : { error }),
		});
		if (!isHostHeaderAllowed(req.headers.host, hostPolicy)) {
			refuseUpgrade(socket, 403);
			report(403, 'Blocked host');
			return true;
		}
		if (hasDotSegment(target.pathname)) {
			refuseUpgrade(socket, 400);
			report(400, 'Proxy: a path with "." or ".." segments is not forwarded.');
			return true;
		}
		if (isProxyLoop(req, route)) {
			refuseUpgrade(socket, 508);
			report(508, `Proxy: the upgrade came back to this server through ${route.label} (a proxy loop); it was not forwarded again.`);
			return true;
		}
		const headers = backendRequestHeaders(req, route);
		headers.connection = 'Upgrade';
		if (req.headers.upgrade !== undefined) headers.upgrade = req.headers.upgrade;
		const upstream = sendRequest(route, { ...requestOptions(route, req.method ?? 'GET', backendPath(route, target.pathname, target.search), headers), agent: false });
		let done = false;
		const timer = setTimeout(() => {
			if (done) return;
			done = true;
			upstream.destroy();
			refuseUpgrade(socket, 504);
			report(504, `Proxy: the backend ${route.label} did not answer the upgrade within ${route.timeoutMs} ms.`);
		}, route.timeoutMs);
		socket.once('close', () => {
			clearTimeout(timer);
			if (!done) {
				done = true;
				upstream.destroy();
			}
		});
		if (head.length > 0) socket.unshift(head);

		upstream.on('upgrade', (backendRes: http.IncomingMessage, backendSocket: Socket, backendHead: Buffer) => {
			clearTimeout(timer);
			if (done) return void backendSocket.destroy();
			done = true;
			backendSocket.on('error', () => socket.destroy());
			socket.on('error', () => backendSocket.destroy());
			backendSocket.on('close', () => socket.destroy());
			socket.on('close', () => backendSocket.destroy());
			backendSocket.setNoDelay(true);
			tunnels.add(socket);
			socket.once('close', () => tunnels.delete(socket));
			if (backendHead.length > 0) backendSocket.unshift(backendHead);
			socket.write(statusLine(backendRes) + rawHeaderLines(backendRes.rawHeaders) + '\r\n');
			backendSocket.pipe(socket).pipe(backendSocket);
			report(backendRes.statusCode ?? 101);
		});
		upstream.on('response', (backendRes: http.IncomingMessage) => {
			// The backend did not switch protocols: its answer goes back as it is, and the connection ends.
			clearTimeout(timer);
			if (done) return void backendRes.destroy();
			done = true;
			const kept: string[] = [];
			const raw = backendRes.rawHeaders;
			for (let index = 0; index + 1 < raw.length; index += 2) {
				if (!/^(connection|transfer-encoding|keep-alive)$/i.test(raw[index]!)) kept.push(raw[index]!, raw[index + 1]!);
			}
			socket.write(statusLine(backendRes) + rawHeaderLines(kept) + 'Connection: close\r\n\r\n');
			backendRes.pipe(socket as Duplex);
			report(backendRes.statusCode ?? 502);
		});
		upstream.on('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			if (done) return;
			done = true;
			const reason = describeBackendError(route, error);
			refuseUpgrade(socket, 502);
			report(502, `Proxy: ${reason}.`);
		});
		upstream.end();
		return true;
	};
}

function statusLine(res: http.IncomingMessage): string {
	return `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
}

function rawHeaderLines(rawHeaders: readonly string[]): string {
	let text = '';
	for (let index = 0; index + 1 < rawHeaders.length; index += 2) text += `${rawHeaders[index]}: ${rawHeaders[index + 1]}\r\n`;
	return text;
}

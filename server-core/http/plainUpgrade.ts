import type * as http from 'node:http';
import type { Duplex } from 'node:stream';

/** Request headers that only mean something for a protocol switch: dropped when the switch is declined. */
const SWITCH_HEADERS = new Set(['upgrade', 'http2-settings']);

/** WebSocket is the only protocol this server switches to (live reload, proxied sockets). */
export function isWebSocketUpgrade(req: http.IncomingMessage): boolean {
	return /^\s*websocket\s*$/i.test(String(req.headers.upgrade ?? ''));
}

/**
 * Declines a protocol switch other than WebSocket (`Upgrade: h2c` from `curl --http2`): RFC 9110 §7.8 lets the
 * server ignore the header and answer over HTTP/1.1. Node (20; its `shouldUpgradeCallback` came later) has already
 * handed the socket over as an upgrade, so the request is written back, without the switch headers, in front of
 * whatever followed it (`head`: its body, pipelined requests) and the socket is given to the server again as a
 * connection (documented: 'connection' may be emitted to inject a socket), once any earlier response on it is
 * done: the same parser, pipeline, request log, body handling and keep-alive as any request.
 */
export function answerAsPlainRequest(server: http.Server, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
	const text = requestHead(req);
	// Node took its own error listener off with the upgrade: until the server has the socket back, this one stands in.
	const onError = () => socket.destroy();
	socket.on('error', onError);
	const refeed = () => {
		if (socket.destroyed) return;
		// A response still being written (this request was pipelined behind it) belongs to the old parser's queue:
		// the new parser would never be given the socket. Its turn comes when that response is done.
		const pending = (socket as { _httpMessage?: http.ServerResponse | null })._httpMessage;
		if (pending) return void pending.once('close', () => setImmediate(refeed));
		socket.off('error', onError);
		(socket as { setTimeout?: (ms: number) => void }).setTimeout?.(0); // the old parser's keep-alive timer
		socket.unshift(Buffer.concat([Buffer.from(text, 'latin1'), head]));
		// An https.Server runs its HTTP side on 'secureConnection' ('connection' would start a second TLS handshake).
		server.emit((socket as { encrypted?: boolean }).encrypted === true ? 'secureConnection' : 'connection', socket);
	};
	refeed();
}

/** The request line and headers as received, minus the switch headers and their Connection tokens. */
function requestHead(req: http.IncomingMessage): string {
	let text = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
	const raw = req.rawHeaders;
	for (let index = 0; index + 1 < raw.length; index += 2) {
		const name = raw[index]!;
		const lower = name.toLowerCase();
		if (SWITCH_HEADERS.has(lower)) continue;
		if (lower === 'connection') {
			const kept = raw[index + 1]!.split(',').map((token) => token.trim()).filter((token) => token !== '' && !SWITCH_HEADERS.has(token.toLowerCase()));
			if (kept.length > 0) text += `${name}: ${kept.join(', ')}\r\n`;
			continue;
		}
		text += `${name}: ${raw[index + 1]}\r\n`;
	}
	return text + '\r\n';
}

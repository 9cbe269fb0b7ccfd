import type { RequestLogEntry } from '../protocol/requestLog';
import { statusPhrase, type ErrorDetails } from './errorPage';

/** A request Node rejected before it became a request/response pair (malformed, oversized, too slow). */
export interface ClientErrorReport {
	details: ErrorDetails;
	/** Node's error code, e.g. `HPE_INVALID_METHOD`. */
	code: string;
	/** The request line, when the rejected bytes start with one that can be shown. */
	requestLine?: string;
}

/** `METHOD target HTTP/x.y`: a well-formed request line (its method may still be one Node does not know). */
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) (HTTP\/\d\.\d)$/;
const MAX_SHOWN_CHARS = 200;

/**
 * Maps Node's parser and timeout errors to what http.server would answer: 400 "Bad request syntax" for
 * garbage, 501 for a well-formed request line with an unknown method, 431 for oversized headers, 408 for a
 * client that did not finish its headers in time.
 */
export function classifyClientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer; reason?: string }): ClientErrorReport {
	const code = error.code ?? 'UNKNOWN';
	const packet = error.rawPacket;
	// A TLS handshake (someone typed https://) fails as an "invalid method"; it is a bad request, not a method.
	if (packet?.[0] === 0x16) return { code, details: { code: 400, message: 'This is a plain HTTP port; the client tried to speak HTTPS (TLS) to it.' } };
	const requestLine = packet === undefined ? undefined : firstLine(packet);
	const report = (details: ErrorDetails): ClientErrorReport => (requestLine === undefined ? { code, details } : { code, details, requestLine });
	switch (code) {
		case 'HPE_HEADER_OVERFLOW':
			return report({ code: 431 });
		case 'ERR_HTTP_REQUEST_TIMEOUT':
			return report({ code: 408 });
		case 'HPE_INVALID_METHOD': {
			const method = requestLine === undefined ? undefined : REQUEST_LINE.exec(requestLine)?.[1];
			if (method !== undefined) return report({ code: 501, message: `Unsupported method (${JSON.stringify(method)})` });
			return report({ code: 400, message: `Bad request syntax (${JSON.stringify(requestLine ?? '')})` });
		}
		default:
			return report({ code: 400, message: error.reason ? `Bad request: ${error.reason}` : `Bad request syntax (${JSON.stringify(requestLine ?? '')})` });
	}
}

/** The first line of the rejected bytes, printable and bounded; undefined when there is none to show. */
function firstLine(packet: Buffer): string | undefined {
	const head = packet.subarray(0, MAX_SHOWN_CHARS * 2).toString('latin1');
	const end = head.search(/\r?\n/);
	const line = (end === -1 ? head : head.slice(0, end)).slice(0, MAX_SHOWN_CHARS);
	if (line === '') return undefined;
	return line.replace(/[^\x20-\x7e]/g, '?');
}

/** The structured log entry for a rejected request, for the same sink as every other request. */
export function clientErrorEntry(report: ClientErrorReport, clientAddress: string | undefined, bodyBytes: number): RequestLogEntry {
	const parts = report.requestLine === undefined ? undefined : REQUEST_LINE.exec(report.requestLine);
	return {
		time: Date.now(),
		clientAddress: clientAddress ?? '-',
		method: parts?.[1] ?? '-',
		path: parts?.[2] ?? '-',
		protocol: parts?.[3] ?? '-',
		status: report.details.code,
		bytes: bodyBytes,
		durationMs: 0,
		source: 'error',
		requestHeaders: {},
		responseHeaders: {},
		error: `${report.details.message ?? statusPhrase(report.details.code)} (${report.code})`,
	};
}

import type { ServerResponse } from 'node:http';

/** nginx's "499 Client Closed Request": never sent, only logged. */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * For answers that wait on something else (a CGI script, a proxied backend): should the client leave before any
 * of it is sent, the request log shows 499 and not Node's default 200, which nobody sent. Every answer writes its
 * own status, so this is only ever seen in that case.
 */
export function logUnansweredAsClientClosed(res: ServerResponse): void {
	if (!res.headersSent) res.statusCode = CLIENT_CLOSED_REQUEST;
}

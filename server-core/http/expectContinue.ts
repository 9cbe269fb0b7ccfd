import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `Expect: 100-continue` asks whether the body is wanted before it is sent. Node answers 100 for every such
 * request unless a `checkContinue` listener decides; this one sends 100 only when something starts reading the
 * body (a handler, the proxy, a CGI script), so a request answered without its body (405 on a static file,
 * 404, 403) gets its final status directly, and Node then closes the connection (the client may still send
 * the body).
 */
export function sendContinueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
	const read = req._read;
	req._read = function (this: IncomingMessage, size: number): void {
		req._read = read;
		// Node also reads (and discards) an unread body after the response: no 100 may follow a final status.
		if (!res.headersSent) res.writeContinue();
		read.call(this, size);
	};
}

import type { IncomingMessage } from 'node:http';
import type { ErrorDetails } from './errorPage';

type RequestHead = Pick<IncomingMessage, 'httpVersionMajor' | 'httpVersionMinor' | 'rawHeaders'>;

/**
 * RFC 9112 §3.2: an HTTP/1.1 request without Host, or with more than one, gets 400. Node would answer a missing
 * Host itself with a bare, unlogged 400 (`requireHostHeader`), and keeps only the first of several Host headers,
 * so the check that the Host is allowed would judge one value while a proxy in between might use another.
 */
export function hostHeaderProblem(req: RequestHead): ErrorDetails | undefined {
	let hosts = 0;
	for (let index = 0; index < req.rawHeaders.length; index += 2) {
		const name = req.rawHeaders[index]!;
		if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
	}
	if (hosts > 1) return { code: 400, message: 'The request has more than one Host header.' };
	if (hosts === 0 && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
		return { code: 400, message: 'HTTP/1.1 requests must have a Host header.' };
	}
	return undefined;
}

/** Node's test for the 100-continue expectation (anything else in Expect cannot be met). */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

/** RFC 9110 §10.1.1: an expectation the server cannot meet gets 417 (only HTTP/1.1 requests carry expectations). */
export function expectationProblem(req: Pick<IncomingMessage, 'httpVersionMajor' | 'httpVersionMinor' | 'headers'>): ErrorDetails | undefined {
	const expect = req.headers.expect;
	if (expect === undefined || req.httpVersionMajor !== 1 || req.httpVersionMinor !== 1 || CONTINUE_EXPECTATION.test(expect)) return undefined;
	return { code: 417, message: 'The server cannot meet the expectation in the Expect header.', explain: 'Only "Expect: 100-continue" is supported.' };
}

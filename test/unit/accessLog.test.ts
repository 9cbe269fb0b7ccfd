import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAccessLogLine, formatHeaderBlock } from '../../server-core/cli/accessLog';
import type { RequestLogEntry } from '../../server-core/protocol/requestLog';

const entry: RequestLogEntry = {
	time: new Date(2026, 10, 22, 10, 0, 0).getTime(),
	clientAddress: '127.0.0.1',
	method: 'GET',
	path: '/',
	protocol: 'HTTP/1.1',
	status: 200,
	bytes: 1234,
	durationMs: 0.84,
	source: 'static',
	requestHeaders: { host: 'localhost:5500', accept: ['a', 'b'] },
	responseHeaders: { 'content-type': 'text/html' },
};

describe('formatAccessLogLine', () => {
	it("matches http.server's familiar line", () => {
		assert.equal(formatAccessLogLine(entry), '127.0.0.1 - - [22/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 1234 0.8ms');
	});

	it('shows "-" for an empty body, whole milliseconds for slow requests, and the error', () => {
		const line = formatAccessLogLine({ ...entry, status: 304, bytes: 0, durationMs: 1234.5, error: 'boom' });
		assert.equal(line, '127.0.0.1 - - [22/Nov/2026 10:00:00] "GET / HTTP/1.1" 304 - 1235ms (boom)');
	});

	it('shows a request rejected before its request line as "-"', () => {
		const line = formatAccessLogLine({ ...entry, method: '-', path: '-', protocol: '-', status: 408, bytes: 0, durationMs: 0, error: 'Request Timeout (ERR_HTTP_REQUEST_TIMEOUT)' });
		assert.equal(line, '127.0.0.1 - - [22/Nov/2026 10:00:00] "-" 408 - 0.0ms (Request Timeout (ERR_HTTP_REQUEST_TIMEOUT))');
	});

	it('colours the status only when asked', () => {
		assert.ok(formatAccessLogLine({ ...entry, status: 404 }, { color: true }).includes('\x1b[33m404\x1b[0m'));
	});
});

describe('formatHeaderBlock', () => {
	it('lists request then response headers, one value per line', () => {
		assert.equal(formatHeaderBlock(entry), [
			'    > host: localhost:5500',
			'    > accept: a',
			'    > accept: b',
			'    < content-type: text/html',
		].join('\n'));
	});
});

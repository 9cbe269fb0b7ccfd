import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatHeaderLines, formatRequestLine, requestLogLevel } from '../../extension/requestLogFormat';
import type { RequestLogEntry } from '../../server-core/protocol/requestLog';

const entry: RequestLogEntry = {
	time: 0, clientAddress: '127.0.0.1', method: 'GET', path: '/index.html', protocol: 'HTTP/1.1', status: 200, bytes: 10,
	durationMs: 1.234, source: 'static',
	requestHeaders: { host: '127.0.0.1:5500', cookie: '[redacted]' },
	responseHeaders: { 'content-type': 'text/html; charset=utf-8', vary: ['Accept-Encoding', 'Origin'] },
};

describe('request log lines', () => {
	it('puts the status first: "200 GET /index.html 1.2 ms"', () => {
		assert.equal(formatRequestLine(entry), '200 GET /index.html 1.2 ms');
	});

	it('adds the error and, with several folders, the folder name', () => {
		assert.equal(formatRequestLine({ ...entry, status: 500, error: 'EIO' }, 'site'), '500 GET /index.html 1.2 ms (EIO) [site]');
	});

	it('formats durations with one decimal below 100 ms', () => {
		assert.equal(formatDuration(0), '0.0 ms');
		assert.equal(formatDuration(99.94), '99.9 ms');
		assert.equal(formatDuration(123.6), '124 ms');
	});

	it('makes 4xx warnings and 5xx errors', () => {
		assert.equal(requestLogLevel({ status: 200 }), 'info');
		assert.equal(requestLogLevel({ status: 304 }), 'info');
		assert.equal(requestLogLevel({ status: 404 }), 'warn');
		assert.equal(requestLogLevel({ status: 200, error: 'client went away' }), 'warn');
		assert.equal(requestLogLevel({ status: 500 }), 'error');
		assert.equal(requestLogLevel({ status: 503 }), 'error');
	});

	it('lists request then response headers, one value per line, as logged (redacted)', () => {
		assert.deepEqual(formatHeaderLines(entry), [
			'    > host: 127.0.0.1:5500',
			'    > cookie: [redacted]',
			'    < content-type: text/html; charset=utf-8',
			'    < vary: Accept-Encoding',
			'    < vary: Origin',
		]);
	});
});

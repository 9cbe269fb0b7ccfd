import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyClientError, clientErrorEntry } from '../../server-core/http/clientErrors';

const parserError = (code: string, raw?: string, reason?: string) =>
	Object.assign(new Error('Parse Error'), { code, ...(raw === undefined ? {} : { rawPacket: Buffer.from(raw, 'latin1') }), ...(reason === undefined ? {} : { reason }) });

describe('classifyClientError', () => {
	it('answers garbage with 400 "Bad request syntax" and a well-formed line with an unknown method with 501', () => {
		assert.deepEqual(classifyClientError(parserError('HPE_INVALID_METHOD', 'GARBAGE\r\n\r\n')).details, { code: 400, message: 'Bad request syntax ("GARBAGE")' });
		assert.deepEqual(classifyClientError(parserError('HPE_INVALID_METHOD', 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n')).details, { code: 501, message: 'Unsupported method ("BREW")' });
	});

	it('maps oversized headers to 431, slow clients to 408, a TLS handshake and other syntax errors to 400', () => {
		assert.equal(classifyClientError(parserError('HPE_HEADER_OVERFLOW', 'GET / HTTP/1.1\r\nX: aaaa')).details.code, 431);
		assert.equal(classifyClientError(parserError('ERR_HTTP_REQUEST_TIMEOUT')).details.code, 408);
		assert.match(classifyClientError(parserError('HPE_INVALID_METHOD', '\x16\x03\x01\x02\x00')).details.message ?? '', /HTTPS \(TLS\)/);
		assert.deepEqual(classifyClientError(parserError('HPE_INVALID_HEADER_TOKEN', 'GET / HTTP/1.1\r\nBad Header\r\n', 'Invalid header token')).details, { code: 400, message: 'Bad request: Invalid header token' });
	});

	it('shows at most a bounded, printable request line', () => {
		const report = classifyClientError(parserError('HPE_INVALID_METHOD', `\x01${'x'.repeat(5000)}`));
		assert.ok(report.requestLine !== undefined && report.requestLine.length <= 200);
		assert.match(report.requestLine, /^\?x+$/);
	});
});

describe('clientErrorEntry', () => {
	it('is a structured log entry, with the request line split when it is one', () => {
		const entry = clientErrorEntry(classifyClientError(parserError('HPE_HEADER_OVERFLOW', 'GET /a?b HTTP/1.1\r\nX: aaa')), '::1', 900);
		assert.deepEqual([entry.clientAddress, entry.method, entry.path, entry.protocol, entry.status, entry.bytes, entry.source], ['::1', 'GET', '/a?b', 'HTTP/1.1', 431, 900, 'error']);
		assert.equal(entry.error, 'Request Header Fields Too Large (HPE_HEADER_OVERFLOW)');
		const garbage = clientErrorEntry(classifyClientError(parserError('HPE_INVALID_METHOD', 'GARBAGE\r\n')), undefined, 10);
		assert.deepEqual([garbage.clientAddress, garbage.method, garbage.path, garbage.protocol], ['-', '-', '-', '-']);
		assert.deepEqual(garbage.requestHeaders, {});
	});
});

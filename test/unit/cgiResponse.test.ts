import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCgiEnvironment, type CgiRequestInfo } from '../../server-core/cgi/cgiEnvironment';
import { findBodyStart, parseCgiHeaders } from '../../server-core/cgi/cgiResponse';

describe('findBodyStart', () => {
	it('finds the empty line with LF or CRLF endings, or -1 while incomplete', () => {
		assert.equal(findBodyStart(Buffer.from('Content-Type: text/plain\n\nbody')), 26);
		assert.equal(findBodyStart(Buffer.from('Content-Type: text/plain\r\n\r\nbody')), 28);
		assert.equal(findBodyStart(Buffer.from('Content-Type: text/plain\n')), -1);
		assert.equal(findBodyStart(Buffer.from('Content-Type: text/plain')), -1);
		assert.equal(findBodyStart(Buffer.from('\nbody')), 1);
	});
});

describe('parseCgiHeaders (RFC 3875 §6)', () => {
	it('reads a document response with Status and repeated headers', () => {
		const result = parseCgiHeaders('Status: 404 Not Here\r\nContent-Type: text/plain\nSet-Cookie: a=1\nSet-Cookie: b=2\n\n');
		assert.deepEqual(result, {
			ok: true,
			response: { kind: 'document', status: 404, reason: 'Not Here', headers: [['Content-Type', 'text/plain'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']] },
		});
	});

	it('defaults to 200 and drops framing headers the server owns', () => {
		const result = parseCgiHeaders('Content-Type: text/html\nContent-Length: 999\nConnection: close\nTransfer-Encoding: chunked\n');
		assert.deepEqual(result, { ok: true, response: { kind: 'document', status: 200, reason: undefined, headers: [['Content-Type', 'text/html']] } });
	});

	it('tells local redirects from client redirects', () => {
		assert.deepEqual(parseCgiHeaders('Location: /other.html?x=1\n'), { ok: true, response: { kind: 'local-redirect', location: '/other.html?x=1' } });
		assert.deepEqual(parseCgiHeaders('Location: https://example.com/\n'), {
			ok: true, response: { kind: 'client-redirect', status: 302, reason: undefined, headers: [['Location', 'https://example.com/']] },
		});
		// PHP's header('Location: /x') comes with its own Status: a browser redirect.
		assert.deepEqual(parseCgiHeaders('Status: 303 See Other\nLocation: /done\n'), {
			ok: true, response: { kind: 'client-redirect', status: 303, reason: 'See Other', headers: [['Location', '/done']] },
		});
		assert.equal((parseCgiHeaders('Location: //evil.example/\n') as { response: { kind: string } }).response.kind, 'client-redirect');
	});

	const malformed: [string, RegExp][] = [
		['this is not a header\n', /without "name:"/],
		['Content Type: text/html\n', /invalid header name/],
		['Status: abc\nContent-Type: text/plain\n', /invalid Status/],
		['Status: 101\nContent-Type: text/plain\n', /invalid Status/],
		['Status: 999\n', /invalid Status/],
		['', /no Content-Type, Location or Status/],
		['Location: \n', /empty Location/],
		// What Node's writeHead would throw on (and crash the server with, from a child process event).
		['Content-Type: text/plain\nX-Bad: a\x01b\n', /invalid value for X-Bad/],
		['Content-Type: text/plain\nX-Esc: \x1b[2J\n', /invalid value for X-Esc/],
		['Status: 200 O\x1bK\nContent-Type: text/plain\n', /invalid value for Status/],
		['Content-Type: text/plain\nX-Del: a\x7fb\n', /invalid value for X-Del/],
	];
	it('accepts tabs and Latin-1 bytes in values, as Node does', () => {
		assert.equal(parseCgiHeaders('Content-Type: text/plain\nX-Tab: a\tb\nX-Latin: caf\xe9\n').ok, true);
	});

	for (const [block, reason] of malformed) {
		it(`refuses ${JSON.stringify(block)}`, () => {
			const result = parseCgiHeaders(block);
			assert.equal(result.ok, false);
			assert.match((result as { reason: string }).reason, reason);
		});
	}
});

describe('buildCgiEnvironment', () => {
	const info: CgiRequestInfo = {
		method: 'POST',
		requestUri: '/cgi-bin/app.sh/a%20b?x=1',
		scriptName: '/cgi-bin/app.sh',
		pathInfo: '/a b',
		queryString: 'x=1',
		headers: {
			host: 'localhost:5500', 'content-type': 'text/plain', 'content-length': '4', 'x-custom-thing': 'yes', proxy: 'http://evil:8080',
			'x_sneaky': 'no', authorization: 'Basic dTpw', cookie: 'a=1; b=2',
		},
		remoteAddress: '127.0.0.1',
		remotePort: 50000,
		serverName: 'localhost',
		serverPort: 5500,
		httpVersion: '1.1',
		https: true,
		scriptFilename: '/srv/site/cgi-bin/app.sh',
		documentRoot: '/srv/site',
		pathTranslated: '/srv/site/a b',
		serverSoftware: 'LiveDevServer/1.0',
	};
	const env = buildCgiEnvironment(info, { PATH: '/usr/bin', SECRET_TOKEN: 'x', HTTP_PROXY: 'http://server-proxy' });

	it('sets the RFC 3875 meta-variables', () => {
		assert.equal(env.GATEWAY_INTERFACE, 'CGI/1.1');
		assert.equal(env.SERVER_SOFTWARE, 'LiveDevServer/1.0');
		assert.equal(env.SERVER_NAME, 'localhost');
		assert.equal(env.SERVER_PORT, '5500');
		assert.equal(env.SERVER_PROTOCOL, 'HTTP/1.1');
		assert.equal(env.REQUEST_METHOD, 'POST');
		assert.equal(env.SCRIPT_NAME, '/cgi-bin/app.sh');
		assert.equal(env.PATH_INFO, '/a b');
		assert.equal(env.PATH_TRANSLATED, '/srv/site/a b');
		assert.equal(env.QUERY_STRING, 'x=1');
		assert.equal(env.REMOTE_ADDR, '127.0.0.1');
		assert.equal(env.CONTENT_TYPE, 'text/plain');
		assert.equal(env.CONTENT_LENGTH, '4');
		assert.equal(env.AUTH_TYPE, 'Basic');
	});

	it('adds what PHP and most scripts expect', () => {
		assert.equal(env.REDIRECT_STATUS, '200');
		assert.equal(env.SCRIPT_FILENAME, '/srv/site/cgi-bin/app.sh');
		assert.equal(env.DOCUMENT_ROOT, '/srv/site');
		assert.equal(env.REQUEST_URI, '/cgi-bin/app.sh/a%20b?x=1');
		assert.equal(env.HTTPS, 'on');
	});

	it('passes request headers as HTTP_*, except Proxy (httpoxy) and names with underscores', () => {
		assert.equal(env.HTTP_HOST, 'localhost:5500');
		assert.equal(env.HTTP_X_CUSTOM_THING, 'yes');
		assert.equal(env.HTTP_COOKIE, 'a=1; b=2');
		assert.equal(env.HTTP_PROXY, undefined, 'a Proxy header must never become HTTP_PROXY');
		assert.equal(env.HTTP_X_SNEAKY, undefined);
		assert.equal(env.HTTP_CONTENT_TYPE, undefined);
	});

	it('sets CONTENT_LENGTH from a held chunked body, which has no Content-Length header', () => {
		const chunked = buildCgiEnvironment({ ...info, headers: { 'transfer-encoding': 'chunked' }, bodyLength: 17 }, {});
		assert.equal(chunked.CONTENT_LENGTH, '17');
		assert.equal(chunked.HTTP_TRANSFER_ENCODING, 'chunked');
	});

	it('passes only PATH-like variables of the server environment', () => {
		assert.equal(env.PATH, '/usr/bin');
		assert.equal(env.SECRET_TOKEN, undefined);
	});
});

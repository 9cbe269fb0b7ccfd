import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostNameOf, isHostHeaderAllowed, isOriginAllowed, type HostPolicy } from '../../server-core/http/hostCheck';

const policy: HostPolicy = { allowedHosts: ['dev.example.test', '.preview.test'], localAddresses: new Set(['192.168.1.20']) };

describe('hostNameOf', () => {
	it('parses names, ports and bracketed IPv6', () => {
		assert.equal(hostNameOf('localhost:5500'), 'localhost');
		assert.equal(hostNameOf('LOCALHOST'), 'localhost');
		assert.equal(hostNameOf('[::1]:5500'), '::1');
		assert.equal(hostNameOf('example.com.'), 'example.com');
		assert.equal(hostNameOf('a:b:c'), undefined);
		assert.equal(hostNameOf('[::1'), undefined);
		assert.equal(hostNameOf('evil.com:80@x'), undefined);
		assert.equal(hostNameOf(''), undefined);
	});
});

describe('isHostHeaderAllowed', () => {
	it('accepts loopback names, IP literals and configured hosts', () => {
		for (const host of ['localhost', 'localhost:5500', 'app.localhost:5500', '127.0.0.1:5500', '[::1]:5500', '10.0.0.7:5500', 'dev.example.test', 'a.preview.test', 'preview.test']) {
			assert.equal(isHostHeaderAllowed(host, policy), true, host);
		}
		assert.equal(isHostHeaderAllowed(undefined, policy), true, 'HTTP/1.0 without Host');
	});

	it('refuses other names (DNS rebinding)', () => {
		for (const host of ['evil.com', 'evil.com:5500', 'localhost.evil.com', 'xpreview.test', 'example.test', '127.0.0.1.nip.io']) {
			assert.equal(isHostHeaderAllowed(host, policy), false, host);
		}
	});

	it('can be turned off with "*"', () => {
		assert.equal(isHostHeaderAllowed('anything.test', { allowedHosts: ['*'], localAddresses: new Set() }), true);
	});
});

describe('isOriginAllowed', () => {
	it('accepts pages served from loopback, local addresses and allowed hosts', () => {
		for (const origin of [undefined, 'http://localhost:5500', 'http://127.0.0.1:5500', 'http://[::1]:5500', 'https://dev.example.test', 'http://192.168.1.20:5500']) {
			assert.equal(isOriginAllowed(origin, policy), true, String(origin));
		}
	});

	it('refuses foreign sites, public IP origins, opaque and non-web origins', () => {
		for (const origin of ['http://evil.com', 'https://8.8.8.8', 'null', 'file://', 'chrome-extension://abc', 'not a url']) {
			assert.equal(isOriginAllowed(origin, policy), false, origin);
		}
	});
});

describe('isOriginAllowed with the request\'s Host', () => {
	it('accepts a page served under the same (already accepted) Host: a forwarded name or address', () => {
		// 10.0.0.7 is no address of this machine (a port forward, a container's published port), but the page came from it.
		assert.equal(isOriginAllowed('http://10.0.0.7:5500', policy, '10.0.0.7:5500'), true);
		assert.equal(isOriginAllowed('http://[fd00::7]:5500', policy, '[fd00::7]:5500'), true);
		assert.equal(isOriginAllowed('https://10.0.0.7', policy, '10.0.0.7:443'), true, 'default port written out');
		assert.equal(isOriginAllowed('http://10.0.0.7', policy, '10.0.0.7'), true);
	});

	it('still refuses another origin, even on the same address', () => {
		assert.equal(isOriginAllowed('http://10.0.0.7:8080', policy, '10.0.0.7:5500'), false, 'another port is another site');
		assert.equal(isOriginAllowed('http://10.0.0.8:5500', policy, '10.0.0.7:5500'), false);
		assert.equal(isOriginAllowed('http://evil.com', policy, '127.0.0.1:5500'), false);
		assert.equal(isOriginAllowed('null', policy, '127.0.0.1:5500'), false, 'opaque origins never match');
		assert.equal(isOriginAllowed('http://10.0.0.7:5500', policy, undefined), false, 'no Host to compare with');
	});
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { backendPath, createProxyRoutes, disposeRoutes, endToEndHeaders, findRoute, hasDotSegment, rewriteLocation } from '../../server-core/proxy/proxyRoute';

const routes = createProxyRoutes([
	{ path: '/api', target: 'http://127.0.0.1:3000' },
	{ path: '/api/v2/', target: 'http://127.0.0.1:4000/' },
	{ path: '/old', target: 'https://backend.test/new/' },
	{ path: '/ws', target: 'http://[::1]:5000/socket' },
]);
after(() => disposeRoutes(routes));
const route = (prefix: string) => routes.find((candidate) => candidate.prefix === prefix)!;

describe('proxy routes', () => {
	it('match whole segments, longest prefix first', () => {
		assert.equal(findRoute(routes, '/api')?.prefix, '/api');
		assert.equal(findRoute(routes, '/api/users')?.prefix, '/api');
		assert.equal(findRoute(routes, '/api/v2/users')?.prefix, '/api/v2');
		assert.equal(findRoute(routes, '/apix'), undefined);
		assert.equal(findRoute(routes, '/'), undefined);
	});

	it('forward the path unchanged, or replace the prefix when the target has a path (nginx proxy_pass)', () => {
		assert.equal(backendPath(route('/api'), '/api/users', '?a=1'), '/api/users?a=1');
		assert.equal(backendPath(route('/api/v2'), '/api/v2/users', ''), '/users');
		assert.equal(backendPath(route('/api/v2'), '/api/v2', '?q'), '/?q');
		assert.equal(backendPath(route('/old'), '/old/page', ''), '/new/page');
		assert.equal(backendPath(route('/ws'), '/ws', ''), '/socket');
	});

	it('rewrite redirects to the backend itself into dev-server paths', () => {
		assert.equal(rewriteLocation(route('/api'), 'http://127.0.0.1:3000/api/login?next=1'), '/api/login?next=1');
		assert.equal(rewriteLocation(route('/api/v2'), 'http://127.0.0.1:4000/login'), '/api/v2/login');
		assert.equal(rewriteLocation(route('/api/v2'), '/login'), '/api/v2/login');
		assert.equal(rewriteLocation(route('/old'), 'https://backend.test/new/x'), '/old/x');
		assert.equal(rewriteLocation(route('/api'), 'https://elsewhere.example/'), 'https://elsewhere.example/');
		assert.equal(rewriteLocation(route('/api'), 'relative/path'), 'relative/path');
	});

	it('drop hop-by-hop headers and those named by Connection', () => {
		const headers = endToEndHeaders({ connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=5', 'x-hop': '1', 'transfer-encoding': 'chunked', 'x-kept': 'yes', upgrade: 'h2c' });
		assert.deepEqual(headers, { 'x-kept': 'yes' });
	});

	const invalid: [object, RegExp][] = [
		[{ path: 'api', target: 'http://127.0.0.1:3000' }, /Invalid URL path prefix/],
		[{ path: '/api/../x', target: 'http://127.0.0.1:3000' }, /Invalid URL path prefix/],
		[{ path: '/__live', target: 'http://127.0.0.1:3000' }, /reserved for live reload/],
		[{ path: '/api', target: 'ftp://127.0.0.1' }, /Invalid proxy target/],
		[{ path: '/api', target: '127.0.0.1:3000' }, /Invalid proxy target/],
		[{ path: '/api', target: 'http://127.0.0.1:3000/?x=1' }, /Invalid proxy target/],
		[{ path: '/api', target: 'http://user:pw@127.0.0.1:3000' }, /credentials/],
		[{ path: '/api', target: 'http://127.0.0.1:99999' }, /Invalid proxy target/],
		[{ path: '/api', target: 'http://127.0.0.1:3000', timeoutMs: 0 }, /Invalid proxy timeout/],
	];
	for (const [rule, message] of invalid) {
		it(`refuses ${JSON.stringify(rule)}`, () => {
			assert.throws(() => createProxyRoutes([rule as never]), (error: unknown) => error instanceof SettingsError && message.test(error.message));
		});
	}

	it('refuses the same prefix twice', () => {
		assert.throws(() => createProxyRoutes([{ path: '/a', target: 'http://127.0.0.1:1' }, { path: '/a/', target: 'http://127.0.0.1:2' }]), /proxied twice/);
	});
});

describe('proxy routes to the server itself', () => {
	const self = { host: '127.0.0.1', port: 5500, portExplicit: true };
	for (const target of ['http://127.0.0.1:5500', 'http://localhost:5500/api', 'http://[::1]:5500', 'http://127.0.0.2:5500', 'http://app.localhost:5500']) {
		it(`are refused at start-up for an explicit port: ${target}`, () => {
			assert.throws(() => createProxyRoutes([{ path: '/x', target }], self), (error: unknown) => error instanceof SettingsError && error.setting === 'proxy[0].target' && /this server itself/.test(error.message));
		});
	}

	it('are left to the Via check when the port is not known yet, and other ports or hosts are fine', () => {
		for (const [target, listen] of [['http://127.0.0.1:5500', { ...self, portExplicit: false }], ['http://127.0.0.1:5501', self], ['http://192.0.2.7:5500', self], ['http://127.0.0.1:0', { ...self, port: 0 }]] as const) {
			disposeRoutes(createProxyRoutes([{ path: '/x', target }], listen));
		}
	});
});

describe('hasDotSegment', () => {
	it('finds . and .. segments, literal, percent-encoded or behind an encoded separator', () => {
		for (const path of ['/api/../x', '/api/./x', '/api/..', '/api/%2e%2E/x', '/api/.%2e', '/api/%2e', '/api/..%2fx', '/api/..%5Cx', '/api/%2e%2e%2fx']) {
			assert.equal(hasDotSegment(path), true, path);
		}
	});

	it('leaves dots inside names alone', () => {
		for (const path of ['/api/x', '/api/...', '/api/.well-known/x', '/api/a.b/c..d', '/api/%zz/..x', '/']) assert.equal(hasDotSegment(path), false, path);
	});
});

describe('proxy entries of the wrong shape', () => {
	for (const rule of [{ path: '/api' }, { target: 'http://127.0.0.1:1' }, 'nonsense', null, { path: '/api', target: 3000 }]) {
		it(`are a SettingsError naming the entry: ${JSON.stringify(rule)}`, () => {
			assert.throws(() => createProxyRoutes([{ path: '/ok', target: 'http://127.0.0.1:1' }, rule as never]), (error: unknown) => error instanceof SettingsError && error.setting === 'proxy[1]' && /needs a "path" and a "target"/.test(error.message));
		});
	}
});

import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { compileCorsPolicy, compileHeaderRules, createResponseHeadersStage, type HeaderRule } from '../../server-core/http/responseHeaders';

describe('compileHeaderRules', () => {
	const rules = compileHeaderRules({
		'*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp' },
		'/assets/**': { 'Cache-Control': 'max-age=60' },
		'**': { 'X-Everywhere': '1' },
	});
	const matching = (path: string) => rules.filter((rule) => rule.matches(path)).map((rule) => rule.glob);

	it('matches globs without a slash against the file name in any folder, others against the whole path', () => {
		assert.deepEqual(matching('app.wasm'), ['*.wasm', '**']);
		assert.deepEqual(matching('deep/dir/app.wasm'), ['*.wasm', '**']);
		assert.deepEqual(matching('assets/img/a.png'), ['/assets/**', '**']);
		assert.deepEqual(matching('other/assets/a.png'), ['**']);
		assert.deepEqual(matching(''), ['**']);
		assert.deepEqual(matching('.well-known/x.wasm'), ['*.wasm', '**'], 'dot folders match too');
	});

	const invalid: [Record<string, Record<string, string>>, RegExp][] = [
		[{ '**': { 'Bad Name': 'x' } }, /Invalid header name/],
		[{ '**': { 'X-A': 'line\r\nInjected: yes' } }, /line break/],
		[{ '**': { 'Content-Length': '5' } }, /managed by the server/],
		[{ '**': { 'Transfer-Encoding': 'chunked' } }, /managed by the server/],
		[{ ' ': { 'X-A': '1' } }, /Empty glob/],
		// Node's setHeader throws on these: refused at start-up, they cannot silently drop every other header.
		[{ '**': { 'X-Name': 'café ☕' } }, /X-Name for \*\* contains "☕", which a header cannot carry \(headers setting, --header\)/],
		[{ '**': { 'X-Ctl': 'a\x01b' } }, /contains U\+0001/],
		[{ '**': { 'X-Esc': '\x1b[31m' } }, /contains U\+001B/],
	];
	for (const [config, message] of invalid) {
		it(`refuses ${JSON.stringify(config)}`, () => {
			assert.throws(() => compileHeaderRules(config), (error: unknown) => error instanceof SettingsError && message.test(error.message));
		});
	}
});

describe('createResponseHeadersStage', () => {
	it('accepts Latin-1 and tabs, as Node does', () => {
		assert.equal(compileHeaderRules({ '**': { 'X-Name': 'café\tcrème' } })[0]!.headers[0]![1], 'café\tcrème');
	});

	it('sets each header on its own: one Node refuses leaves the others and CORS in place', () => {
		// A rule built by hand, past the start-up check, to prove the per-header guard.
		const rules: HeaderRule[] = [{ glob: '**', matches: () => true, headers: [['X-Bad', 'caf\u00e9 \u2615'], ['X-Good', 'yes']] }];
		const stage = createResponseHeadersStage(rules, compileCorsPolicy(['http://localhost:3000']))!;
		const req = new http.IncomingMessage(new net.Socket());
		req.method = 'GET';
		req.url = '/page.html';
		req.headers = { host: 'localhost', origin: 'http://localhost:3000' };
		const res = new http.ServerResponse(req);
		const exchange = { req, res, pathname: '/page.html', urlPath: '/page.html', search: '', htmlTransform: undefined, source: 'static' as const };
		assert.equal(stage(exchange), false);
		res.writeHead(200, { 'Content-Type': 'text/html' });
		assert.equal(res.getHeader('x-good'), 'yes');
		assert.equal(res.getHeader('x-bad'), undefined);
		assert.equal(res.getHeader('access-control-allow-origin'), 'http://localhost:3000');
		assert.equal(res.getHeader('vary'), 'Origin');
	});
});

describe('compileCorsPolicy', () => {
	it('is off when no origin is listed', () => {
		assert.equal(compileCorsPolicy([]), undefined);
	});

	it('normalizes origins and allows "*" only when given', () => {
		const policy = compileCorsPolicy(['http://LocalHost:3000/', 'https://app.example'])!;
		assert.equal(policy.anyOrigin, false);
		assert.deepEqual([...policy.origins], ['http://localhost:3000', 'https://app.example']);
		assert.equal(compileCorsPolicy(['*'])!.anyOrigin, true);
	});

	for (const origin of ['localhost:3000', 'http://localhost:3000/path', 'null', 'file:///x', 'http://a?x', 'ftp://x']) {
		it(`refuses ${origin}`, () => {
			assert.throws(() => compileCorsPolicy([origin]), /Invalid CORS origin/);
		});
	}
});

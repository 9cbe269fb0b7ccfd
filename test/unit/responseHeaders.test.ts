import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../server-core/features/settingsError';
import { compileCorsPolicy, compileHeaderRules } from '../../server-core/http/responseHeaders';

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
	];
	for (const [config, message] of invalid) {
		it(`refuses ${JSON.stringify(config)}`, () => {
			assert.throws(() => compileHeaderRules(config), (error: unknown) => error instanceof SettingsError && message.test(error.message));
		});
	}
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

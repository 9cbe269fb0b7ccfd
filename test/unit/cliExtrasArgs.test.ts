import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../server-core/cli/cliArgs';
import { parseHeaderFlag, resolveCliPaths } from '../../server-core/cli/cliExtrasArgs';
import { DEFAULT_SETTINGS } from '../../server-core/protocol/settings';

function serve(argv: string[]) {
	const command = parseCliArgs(argv);
	assert.equal(command.kind, 'serve', JSON.stringify(command));
	return (command as Extract<typeof command, { kind: 'serve' }>).options;
}

function error(argv: string[]): string {
	const command = parseCliArgs(argv);
	assert.equal(command.kind, 'error', JSON.stringify(command));
	return (command as { message: string }).message;
}

describe('CLI flags for the extras', () => {
	it('leaves everything off by default', () => {
		const options = serve([]);
		assert.deepEqual(options.https, { enabled: false, cert: undefined, key: undefined });
		assert.deepEqual([options.proxy, options.spa, options.headers, options.cors, options.mounts, options.console], [[], '', {}, [], [], false]);
		assert.equal(options.cgi?.enabled, false);
		assert.deepEqual(DEFAULT_SETTINGS.cors, [], 'no CORS unless asked');
	});

	it('takes HTTPS with a generated or a given certificate', () => {
		assert.equal(serve(['--https']).https?.enabled, true);
		const given = serve(['--cert', 'c.pem', '--key', 'k.pem']).https!;
		assert.deepEqual([given.enabled, given.cert, given.key], [true, 'c.pem', 'k.pem']);
	});

	it('takes repeatable proxies with their timeout and TLS options', () => {
		const options = serve(['--proxy', '/api=http://127.0.0.1:3000', '--proxy', '/ws=http://127.0.0.1:4000/', '--proxy-timeout', '500', '--proxy-insecure']);
		assert.deepEqual(options.proxy, [
			{ path: '/api', target: 'http://127.0.0.1:3000', secure: false, timeoutMs: 500 },
			{ path: '/ws', target: 'http://127.0.0.1:4000/', secure: false, timeoutMs: 500 },
		]);
		assert.match(error(['--proxy', '/api']), /Invalid --proxy "\/api": expected PREFIX=URL/);
		assert.match(error(['--proxy-timeout', 'soon']), /Invalid --proxy-timeout/);
	});

	it('takes --spa with or without a file, keeping the port positional intact', () => {
		assert.equal(serve(['--spa']).spa, 'index.html');
		assert.equal(serve(['--spa=app.html', '8080']).spa, 'app.html');
		assert.equal(serve(['--spa', '8080']).port, 8080);
	});

	it('takes headers, CORS origins and mounts', () => {
		const options = serve(['--header', '*.wasm: Cross-Origin-Embedder-Policy: require-corp', '--header', 'X-Frame-Options: DENY', '--cors', 'http://localhost:3000', '--mount', '/node_modules=./node_modules']);
		assert.deepEqual(options.headers, { '*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp' }, '**': { 'X-Frame-Options': 'DENY' } });
		assert.deepEqual(options.cors, ['http://localhost:3000']);
		assert.deepEqual(options.mounts, [{ path: '/node_modules', dir: './node_modules' }]);
		assert.match(error(['--mount', '/x=']), /Invalid --mount/);
		assert.match(error(['--header', 'no colon here']), /Invalid --header/);
	});

	it('parses header flags whose values contain colons', () => {
		assert.deepEqual(parseHeaderFlag('Link: <https://cdn.example/x.css>; rel=preload'), { glob: '**', name: 'Link', value: '<https://cdn.example/x.css>; rel=preload' });
		assert.deepEqual(parseHeaderFlag("Content-Security-Policy: default-src 'self' https:"), { glob: '**', name: 'Content-Security-Policy', value: "default-src 'self' https:" });
		assert.deepEqual(parseHeaderFlag('X-A: b: c'), { glob: '**', name: 'X-A', value: 'b: c' });
		assert.deepEqual(parseHeaderFlag('/api/**: Cache-Control: no-store'), { glob: '/api/**', name: 'Cache-Control', value: 'no-store' });
	});

	it('takes CGI folders, timeout and interpreters; --cgi-dir implies --cgi', () => {
		assert.deepEqual(serve(['--cgi']).cgi?.dirs, ['/cgi-bin']);
		const options = serve(['--cgi-dir', '/scripts', '--cgi-timeout', '2000', '--cgi-interpreter', 'rb=ruby', '--cgi-interpreter', '.py=python3.12']).cgi!;
		assert.deepEqual([options.enabled, options.dirs, options.timeoutMs], [true, ['/scripts'], 2000]);
		assert.deepEqual(options.interpreters, { '.php': 'php-cgi', '.py': 'python3.12', '.rb': 'ruby' });
	});

	it('takes --console', () => {
		assert.equal(serve(['--console']).console, true);
	});

	it('resolves file flags against the current folder and picks the certificate cache', () => {
		const resolved = resolveCliPaths(serve(['--cert', 'c.pem', '--key', '/abs/k.pem', '--mount', '/m=lib']), '/work/here', { XDG_CACHE_HOME: '/cache' });
		assert.equal(resolved.https?.cert, path.resolve('/work/here', 'c.pem'));
		assert.equal(resolved.https?.key, path.resolve('/abs/k.pem'));
		assert.equal(resolved.mounts?.[0]?.dir, path.resolve('/work/here', 'lib'));
		if (process.platform === 'linux') assert.equal(resolved.https?.certDir, '/cache/live-dev-server');
	});
});

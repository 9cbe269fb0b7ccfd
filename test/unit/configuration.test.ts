import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIGURATION, HANDLER_TIMEOUT_RANGE, readConfiguration, toServerSettings } from '../../server-core/protocol/configuration';
import { DEFAULT_CGI_SETTINGS, DEFAULT_HANDLER_SETTINGS, DEFAULT_SETTINGS } from '../../server-core/protocol/settings';
import { REPO_ROOT } from '../helpers/tempWorkspace';

interface ManifestProperty {
	default: unknown;
	markdownDescription?: string;
	scope?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const properties: Record<string, ManifestProperty> = manifest.contributes.configuration.properties;

describe('readConfiguration', () => {
	it('gives the defaults for nothing at all', () => {
		assert.deepEqual(readConfiguration(undefined), DEFAULT_CONFIGURATION);
		assert.deepEqual(readConfiguration(null), DEFAULT_CONFIGURATION);
		assert.deepEqual(readConfiguration('nonsense'), DEFAULT_CONFIGURATION);
	});

	it('keeps valid values and trims strings', () => {
		const config = readConfiguration({
			port: 8080, host: ' 0.0.0.0 ', root: ' public ', openBrowser: 'firefox -P dev', reloadOn: 'save', debounce: 50,
			ignore: ['dist/**'], allowedHosts: ['dev.example.test'], dotfilesAllow: ['.env.example'], log: { headers: true },
			handlers: { enabled: true, dir: ' functions ' },
		});
		assert.deepEqual(config, {
			...DEFAULT_CONFIGURATION,
			port: 8080, host: '0.0.0.0', root: 'public', openBrowser: 'firefox -P dev', reloadOn: 'save', debounce: 50,
			ignore: ['dist/**'], allowedHosts: ['dev.example.test'], dotfilesAllow: ['.env.example'], log: { headers: true },
			handlers: { enabled: true, dir: 'functions', timeoutMs: DEFAULT_HANDLER_SETTINGS.timeoutMs },
		});
	});

	it('reads the handler timeout: whole milliseconds, kept within the declared range', () => {
		assert.equal(readConfiguration({ handlers: { timeoutMs: 2500 } }).handlers.timeoutMs, 2500);
		for (const bad of [0, -5, 1.5, '3000', null]) assert.equal(readConfiguration({ handlers: { timeoutMs: bad } }).handlers.timeoutMs, DEFAULT_HANDLER_SETTINGS.timeoutMs, String(bad));
		assert.equal(readConfiguration({ handlers: { timeoutMs: 5 } }).handlers.timeoutMs, HANDLER_TIMEOUT_RANGE.min);
		assert.equal(readConfiguration({ handlers: { timeoutMs: 99_999_999 } }).handlers.timeoutMs, HANDLER_TIMEOUT_RANGE.max);
		const property = properties['liveDevServer.handlers.timeoutMs'] as ManifestProperty & { minimum?: number; maximum?: number; type?: string };
		assert.deepEqual([property.type, property.minimum, property.maximum], ['integer', HANDLER_TIMEOUT_RANGE.min, HANDLER_TIMEOUT_RANGE.max], 'package.json declares the same range');
	});

	it('replaces each malformed value by its default, field by field', () => {
		const config = readConfiguration({
			port: 70000, host: '', openBrowser: '  ', reloadOn: 'always', debounce: -1, ignore: 'dist', allowedHosts: [1, ' ', 'ok'], log: 'yes',
		});
		assert.equal(config.port, DEFAULT_CONFIGURATION.port);
		assert.equal(config.host, DEFAULT_CONFIGURATION.host);
		assert.equal(config.openBrowser, 'default');
		assert.equal(config.reloadOn, 'change');
		assert.equal(config.debounce, DEFAULT_CONFIGURATION.debounce);
		assert.deepEqual(config.ignore, DEFAULT_CONFIGURATION.ignore);
		assert.deepEqual(config.allowedHosts, ['ok']);
		assert.equal(config.log.headers, false);
		assert.equal(readConfiguration({ port: 1.5 }).port, DEFAULT_CONFIGURATION.port);
		assert.equal(readConfiguration({ port: 0 }).port, 0);
		assert.equal(readConfiguration({ debounce: 999_999 }).debounce, 10_000);
	});
});

describe('toServerSettings', () => {
	it('maps the folder settings onto server-core settings; the port is never explicit in the editor', () => {
		const settings = toServerSettings(readConfiguration({ port: 3000, host: '::1', ignore: ['**/tmp'], allowedHosts: ['a.test'] }));
		assert.deepEqual(settings, {
			...DEFAULT_SETTINGS,
			port: 3000,
			portExplicit: false,
			host: '::1',
			allowedHosts: ['a.test'],
			dotfilesAllow: ['.well-known'],
			ignore: ['**/tmp'],
			handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: false },
			https: { enabled: false },
			cgi: { ...DEFAULT_CGI_SETTINGS, enabled: false },
		});
	});

	it('enables handlers only when the setting is on and the workspace is trusted', () => {
		const on = readConfiguration({ handlers: { enabled: true, dir: 'functions' } });
		assert.deepEqual(toServerSettings(on, { trusted: true }).handlers, { ...DEFAULT_HANDLER_SETTINGS, enabled: true, dir: 'functions' });
		assert.equal(toServerSettings(readConfiguration({ handlers: { enabled: true, timeoutMs: 1234 } }), { trusted: true }).handlers?.timeoutMs, 1234, 'with the timeout');
		assert.equal(toServerSettings(on, { trusted: false }).handlers?.enabled, false);
		assert.equal(toServerSettings(on).handlers?.enabled, false, 'untrusted unless said otherwise');
		assert.equal(toServerSettings(readConfiguration({}), { trusted: true }).handlers?.enabled, false, 'off by default');
	});

	it('maps HTTPS, proxy, SPA, headers, CORS, mounts and console relay; the certificate goes to the given folder', () => {
		const config = readConfiguration({
			https: { enabled: true, cert: ' certs/site.pem ', key: 'certs/site-key.pem' },
			proxy: [{ path: '/api', target: 'http://127.0.0.1:3000', secure: false, timeoutMs: 500 }, { path: '/bad' }, 'nonsense'],
			spa: 'index.html',
			headers: { '*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp', Bad: 1 }, broken: 'x' },
			cors: ['http://localhost:3000', 7],
			mounts: [{ path: '/node_modules', dir: './node_modules' }, { path: '/x' }],
			console: true,
		});
		const settings = toServerSettings(config, { certDir: '/storage/certificates' });
		assert.deepEqual(settings.https, { enabled: true, cert: 'certs/site.pem', key: 'certs/site-key.pem', certDir: '/storage/certificates' });
		// Malformed rules are passed on for server-core to report (a SettingsError naming proxy[1]), never dropped unannounced.
		assert.deepEqual(settings.proxy, [{ path: '/api', target: 'http://127.0.0.1:3000', secure: false, timeoutMs: 500 }, { path: '/bad' }, 'nonsense']);
		assert.equal(settings.spa, 'index.html');
		assert.deepEqual(settings.headers, { '*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp' } });
		assert.deepEqual(settings.cors, ['http://localhost:3000']);
		assert.deepEqual(settings.mounts, [{ path: '/node_modules', dir: './node_modules' }, { path: '/x' }]);
		assert.equal(settings.console, true);
		assert.deepEqual(toServerSettings(readConfiguration({ https: { enabled: true } })).https, { enabled: true }, 'no files: a generated certificate');
	});

	it('enables CGI only when the setting is on and the workspace is trusted', () => {
		const on = readConfiguration({ cgi: { enabled: true, dirs: ['/scripts'], timeoutMs: 5000, interpreters: { '.rb': 'ruby' } } });
		assert.deepEqual(toServerSettings(on, { trusted: true }).cgi, { enabled: true, dirs: ['/scripts'], timeoutMs: 5000, interpreters: { '.rb': 'ruby' } });
		assert.equal(toServerSettings(on, { trusted: false }).cgi?.enabled, false);
		assert.equal(toServerSettings(on).cgi?.enabled, false, 'untrusted unless said otherwise');
	});

	it('adds forwarded hosts without duplicates and always allows .well-known', () => {
		const settings = toServerSettings(readConfiguration({ allowedHosts: ['a.test'], dotfilesAllow: ['.env.example'] }), { extraAllowedHosts: ['fwd.example.dev', 'a.test'] });
		assert.deepEqual(settings.allowedHosts, ['a.test', 'fwd.example.dev']);
		assert.deepEqual(settings.dotfilesAllow, ['.well-known', '.env.example']);
	});
});

describe('package.json settings', () => {
	const flatDefaults: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(DEFAULT_CONFIGURATION)) {
		if (key === 'log' || key === 'handlers' || key === 'https' || key === 'cgi') {
			for (const [inner, innerValue] of Object.entries(value as object)) flatDefaults[`${key}.${inner}`] = innerValue;
		} else {
			flatDefaults[key] = value;
		}
	}

	it('declares every setting with the same default as the code', () => {
		for (const [key, value] of Object.entries(flatDefaults)) {
			assert.ok(properties[`liveDevServer.${key}`], `liveDevServer.${key} is declared`);
			assert.deepEqual(properties[`liveDevServer.${key}`]!.default, value, `default of liveDevServer.${key}`);
		}
	});

	it('describes every setting in markdown and scopes folder settings per resource', () => {
		for (const [name, property] of Object.entries(properties)) {
			assert.ok(name.startsWith('liveDevServer.'), name);
			assert.ok((property.markdownDescription ?? '').length > 20, `${name} has a markdownDescription`);
			if (name !== 'liveDevServer.trace.server') assert.equal(property.scope, 'resource', name);
		}
	});

	it('restricts the settings that run programs or widen access in untrusted workspaces', () => {
		const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
		const widening = ['liveDevServer.openBrowser', 'liveDevServer.host', 'liveDevServer.allowedHosts', 'liveDevServer.dotfilesAllow'];
		// Workspace code (CGI), other servers (proxy), files beyond the served folder (mounts), other sites (CORS, headers).
		const exposing = ['liveDevServer.proxy', 'liveDevServer.mounts', 'liveDevServer.cors', 'liveDevServer.headers', 'liveDevServer.cgi.enabled', 'liveDevServer.cgi.dirs', 'liveDevServer.cgi.interpreters'];
		for (const name of [...widening, ...exposing]) {
			assert.ok(restricted.includes(name), name);
		}
		assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
		assert.deepEqual(manifest.extensionKind, ['workspace']);
	});

	it('contributes every command under the Live Dev Server category and never the liveServer prefix', () => {
		const commands: { command: string; category: string }[] = manifest.contributes.commands;
		assert.ok(commands.length >= 9);
		for (const command of commands) {
			assert.match(command.command, /^liveDevServer\./);
			assert.equal(command.category, 'Live Dev Server');
		}
		assert.doesNotMatch(JSON.stringify(manifest.contributes), /"liveServer\./);
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCgiSettings, splitCommand } from '../../server-core/cgi/cgiScripts';
import { SettingsError } from '../../server-core/features/settingsError';
import { DEFAULT_CGI_SETTINGS } from '../../server-core/protocol/settings';

describe('CGI interpreter commands', () => {
	const none = () => false;

	it('are split into program and arguments, without a shell', () => {
		assert.deepEqual(splitCommand('python3 -u', '.py', none), ['python3', '-u']);
		assert.deepEqual(splitCommand('php-cgi', '.php', none), ['php-cgi']);
		assert.deepEqual(splitCommand('  ruby   -w  ', '.rb', none), ['ruby', '-w']);
		assert.deepEqual(splitCommand('perl -e $HOME*', '.pl', none), ['perl', '-e', '$HOME*'], 'no variables or globs');
	});

	it('keep quoted words whole, and a command that is an existing file with spaces as it is', () => {
		assert.deepEqual(splitCommand('"C:\\Program Files\\PHP\\php-cgi.exe" -c "my php.ini"', '.php', none), ['C:\\Program Files\\PHP\\php-cgi.exe', '-c', 'my php.ini']);
		assert.deepEqual(splitCommand('/opt/my tools/php-cgi', '.php', (file) => file === '/opt/my tools/php-cgi'), ['/opt/my tools/php-cgi']);
		assert.deepEqual(splitCommand('/opt/my tools/php-cgi', '.php', none), ['/opt/my', 'tools/php-cgi']);
	});

	for (const command of ['"python3 -u', 'python3 "-u', '""']) {
		it(`refuse ${command}`, () => {
			assert.throws(() => splitCommand(command, '.py', none), (error: unknown) => error instanceof SettingsError && error.setting === 'cgi.interpreters');
		});
	}

	it('are compiled per extension', () => {
		const config = compileCgiSettings({ ...DEFAULT_CGI_SETTINGS, enabled: true, interpreters: { py: 'python3 -u', '.PHP': 'php-cgi' } });
		assert.deepEqual(config.interpreters.get('.py'), ['python3', '-u']);
		assert.deepEqual(config.interpreters.get('.php'), ['php-cgi']);
	});
});

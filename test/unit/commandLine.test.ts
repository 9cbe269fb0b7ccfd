import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCommandLine } from '../../extension/commandLine';

describe('splitCommandLine', () => {
	const posix = { windows: false };
	it('splits words on whitespace', () => {
		assert.deepEqual(splitCommandLine('  firefox   -P  dev ', posix), ['firefox', '-P', 'dev']);
		assert.deepEqual(splitCommandLine('', posix), []);
	});

	it('keeps quoted spaces and empty quoted words', () => {
		assert.deepEqual(splitCommandLine('"/Applications/Google Chrome.app/x" --profile-directory="Profile 1" \'\'', posix), [
			'/Applications/Google Chrome.app/x', '--profile-directory=Profile 1', '',
		]);
	});

	it('treats shell syntax as plain text (no shell runs it)', () => {
		assert.deepEqual(splitCommandLine('browser $HOME; rm -rf / | cat', posix), ['browser', '$HOME;', 'rm', '-rf', '/', '|', 'cat']);
		assert.deepEqual(splitCommandLine("a 'it''s' \"say \\\"hi\\\"\"", posix), ['a', 'its', 'say "hi"']);
	});

	it('escapes with backslashes on POSIX but keeps them as path separators on Windows', () => {
		assert.deepEqual(splitCommandLine('my\\ browser', posix), ['my browser']);
		assert.deepEqual(splitCommandLine('C:\\Tools\\browser.exe --new', { windows: true }), ['C:\\Tools\\browser.exe', '--new']);
		assert.deepEqual(splitCommandLine('"C:\\Program Files\\Firefox\\firefox.exe" -P dev', { windows: true }), ['C:\\Program Files\\Firefox\\firefox.exe', '-P', 'dev']);
	});

	it('rejects an unclosed quote', () => {
		assert.throws(() => splitCommandLine('"firefox', posix), /Unclosed " quote/);
	});
});

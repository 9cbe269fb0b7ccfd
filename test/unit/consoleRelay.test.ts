import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripControlCharacters } from '../../server-core/features/controlCharacters';
import { ConsoleRateLimit, MAX_CONSOLE_TEXT, parseConsoleMessage } from '../../server-core/reload/consoleRelay';
import { normalizeUrlPath, isUnderPrefix } from '../../server-core/http/exchangeView';
import { normalizePrefix } from '../../server-core/features/urlPrefix';

describe('parseConsoleMessage', () => {
	it('accepts the four levels with text and url', () => {
		assert.deepEqual(parseConsoleMessage({ type: 'console', level: 'warn', text: 'careful', url: 'http://127.0.0.1/' }, 5), { time: 5, level: 'warn', text: 'careful', url: 'http://127.0.0.1/' });
	});

	it('refuses anything else', () => {
		for (const message of [null, 'x', { type: 'hello', page: '/' }, { type: 'console', level: 'debug', text: '', url: '' }, { type: 'console', level: 'log', text: 5, url: '' }, { type: 'console', level: 'log', text: '' }]) {
			assert.equal(parseConsoleMessage(message), undefined, JSON.stringify(message));
		}
	});

	it('strips terminal control characters from text and URL, keeping tabs and line feeds in the text', () => {
		const message = parseConsoleMessage({ type: 'console', level: 'log', text: '\x1b[2J\x1b]0;owned\x07red\x1b[0m\r\n\tat x\x9b31m\x7f\0', url: 'http://127.0.0.1/\x1b[8m\npage' })!;
		assert.equal(message.text, '[2J]0;ownedred[0m\n\tat x31m');
		assert.equal(message.url, 'http://127.0.0.1/[8mpage');
		assert.equal(stripControlCharacters('café ☕ naïve\ttab'), 'café ☕ naïve\ttab', 'printable Unicode is kept');
	});

	it('caps the text', () => {
		const message = parseConsoleMessage({ type: 'console', level: 'log', text: 'x'.repeat(MAX_CONSOLE_TEXT + 10), url: '' })!;
		assert.ok(message.text.length < MAX_CONSOLE_TEXT + 20);
		assert.match(message.text, /truncated/);
	});
});

describe('ConsoleRateLimit', () => {
	it('lets a burst through, then refills at the given rate and counts what it dropped', () => {
		const limit = new ConsoleRateLimit(3, 2, 0);
		assert.deepEqual([limit.take(0), limit.take(0), limit.take(0), limit.take(0), limit.take(0)], [true, true, true, false, false]);
		assert.equal(limit.takeDropped(), 2);
		assert.equal(limit.takeDropped(), 0);
		assert.equal(limit.take(400), false, '0.8 tokens after 400 ms at 2/s');
		assert.equal(limit.take(600), true);
	});
});

describe('URL path helpers', () => {
	it('normalizes paths the way a file system would read them', () => {
		assert.equal(normalizeUrlPath('/cgi-bin/x.sh'), '/cgi-bin/x.sh');
		assert.equal(normalizeUrlPath('//cgi-bin/./x.sh'), '/cgi-bin/x.sh');
		assert.equal(normalizeUrlPath('/%63gi-bin/x.sh'), '/cgi-bin/x.sh');
		assert.equal(normalizeUrlPath('/cgi-bin./x.sh'), '/cgi-bin/x.sh');
		assert.equal(normalizeUrlPath('/a/../cgi-bin/x'), '/cgi-bin/x');
		assert.equal(normalizeUrlPath('/dir/'), '/dir/');
		assert.equal(normalizeUrlPath('/%'), undefined);
		assert.equal(normalizeUrlPath('/a%00b'), undefined);
	});

	it('matches prefixes on segment boundaries', () => {
		assert.equal(isUnderPrefix('/api', '/api'), true);
		assert.equal(isUnderPrefix('/api/x', '/api'), true);
		assert.equal(isUnderPrefix('/apix', '/api'), false);
		assert.equal(isUnderPrefix('/anything', '/'), true);
	});

	it('validates prefixes', () => {
		assert.equal(normalizePrefix('/node_modules/', 'x'), '/node_modules');
		assert.equal(normalizePrefix('/', 'x'), '/');
		assert.throws(() => normalizePrefix('/', 'x', { allowRoot: false }), /must not be "\/"/);
		assert.throws(() => normalizePrefix('/a%20b', 'x'), /Invalid URL path prefix/);
		assert.throws(() => normalizePrefix('/a/./b', 'x'), /Invalid URL path prefix/);
		assert.throws(() => normalizePrefix('/__live/x', 'x'), /reserved/);
	});
});

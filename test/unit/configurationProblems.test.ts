import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIGURATION, readConfiguration } from '../../server-core/protocol/configuration';
import { describeConfigurationProblem, findConfigurationProblems } from '../../server-core/protocol/configurationProblems';

const problems = (raw: Record<string, unknown>) => findConfigurationProblems(raw, readConfiguration(raw));
const texts = (raw: Record<string, unknown>) => problems(raw).map(describeConfigurationProblem);

describe('findConfigurationProblems', () => {
	it('finds nothing in valid, unset, blank or padded values', () => {
		assert.deepEqual(problems({}), []);
		assert.deepEqual(problems({ ...DEFAULT_CONFIGURATION }), []);
		assert.deepEqual(problems({
			port: 0, host: ' 0.0.0.0 ', root: '', openBrowser: ' ', reloadOn: 'save', debounce: 10_000, ignore: ['dist/**', ''],
			log: { headers: true }, https: { enabled: false }, proxy: [{ target: 'http://127.0.0.1:3000', path: '/api' }],
			headers: { '*.wasm': { 'Cross-Origin-Embedder-Policy': 'require-corp' } }, trace: { server: 'verbose' },
		}), []);
	});

	for (const port of ['abc', -1, 70_000, 1.5, '5501', true]) {
		it(`names the port ${JSON.stringify(port)} and the port used instead`, () => {
			assert.deepEqual(problems({ port }), [{ setting: 'port', value: port, used: 5500 }]);
			assert.equal(texts({ port })[0], `liveDevServer.port: ${JSON.stringify(port)} is not valid (a whole number from 0 to 65535 is expected); using 5500.`);
		});
	}

	it('names each invalid value, in settings order, with what is used', () => {
		assert.deepEqual(texts({ debounce: -5, reloadOn: 'sometimes', log: { headers: 'yes' }, openBrowser: 42 }), [
			'liveDevServer.openBrowser: 42 is not valid (a string is expected); using "default".',
			'liveDevServer.reloadOn: "sometimes" is not valid ("change" or "save" is expected); using "change".',
			'liveDevServer.debounce: -5 is not valid (a whole number of milliseconds from 0 to 10000 is expected); using 200.',
			'liveDevServer.log.headers: "yes" is not valid (true or false is expected); using false.',
		]);
	});

	it('reports a clamped number with the value used', () => {
		assert.deepEqual(problems({ debounce: 20_000 }), [{ setting: 'debounce', value: 20_000, used: 10_000 }]);
		assert.deepEqual(texts({ handlers: { timeoutMs: 5 } }), ['liveDevServer.handlers.timeoutMs: 5 is not valid (a whole number of milliseconds from 100 to 600000 is expected); using 100.']);
	});

	it('reports lists and objects that lost entries, and groups of the wrong type', () => {
		// (A proxy entry of the wrong shape is kept, and fails the start naming it: no problem to report here.)
		assert.deepEqual(problems({ ignore: ['ok', 3], proxy: [{ path: '/api' }], log: true }).map((problem) => problem.setting), ['ignore', 'log']);
		assert.deepEqual(problems({ cgi: { interpreters: { '.rb': 'ruby', '.php': 1 } } }), [{ setting: 'cgi.interpreters', value: { '.rb': 'ruby', '.php': 1 }, used: { '.rb': 'ruby' } }]);
	});

	it('shortens long values', () => {
		const [text] = texts({ reloadOn: 'x'.repeat(200) });
		assert.ok(text!.length < 200, text);
		assert.match(text!, /\.\.\. is not valid/);
	});
});

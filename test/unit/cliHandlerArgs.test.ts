import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../server-core/cli/cliArgs';

function handlers(argv: string[]) {
	const command = parseCliArgs(argv);
	assert.equal(command.kind, 'serve', JSON.stringify(command));
	return (command as Extract<typeof command, { kind: 'serve' }>).options.handlers!;
}

describe('parseCliArgs: handlers', () => {
	it('keeps handlers off unless asked', () => {
		assert.deepEqual(handlers([]), { enabled: false, dir: 'api', timeoutMs: 10_000, memoryLimitMb: 512 });
	});

	it('turns them on with --handlers or --handlers-dir, and takes a timeout', () => {
		assert.equal(handlers(['--handlers']).enabled, true);
		assert.deepEqual(handlers(['--handlers-dir', 'functions', '--handler-timeout', '2500']), { enabled: true, dir: 'functions', timeoutMs: 2500, memoryLimitMb: 512 });
	});

	it('rejects a bad timeout or the root as handlers folder', () => {
		for (const argv of [['--handler-timeout', 'soon'], ['--handler-timeout', '0'], ['--handlers-dir', '.'], ['--handlers-dir', './'], ['--handlers-dir', '']]) {
			assert.equal(parseCliArgs(argv).kind, 'error', argv.join(' '));
		}
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../server-core/cli/cliArgs';

function serveOptions(argv: string[]) {
	const command = parseCliArgs(argv);
	assert.equal(command.kind, 'serve', JSON.stringify(command));
	return (command as Extract<typeof command, { kind: 'serve' }>).options;
}

describe('parseCliArgs', () => {
	it('defaults to port 5500 on 127.0.0.1 in the current folder', () => {
		const options = serveOptions([]);
		assert.equal(options.port, 5500);
		assert.equal(options.portExplicit, false);
		assert.equal(options.host, '127.0.0.1');
		assert.equal(options.directory, '.');
	});

	it('takes the port, bind address and directory like python -m http.server', () => {
		const options = serveOptions(['8080', '--bind', '::1', '--directory', '/tmp/site']);
		assert.equal(options.port, 8080);
		assert.equal(options.portExplicit, true);
		assert.equal(options.host, '::1');
		assert.equal(options.directory, '/tmp/site');
		const short = serveOptions(['-b', '0.0.0.0', '-d', 'out', '0']);
		assert.deepEqual([short.host, short.directory, short.port], ['0.0.0.0', 'out', 0]);
	});

	it('collects repeatable allow lists', () => {
		const options = serveOptions(['--allow-host', 'a.test', '--allow-host', '.b.test', '--allow-dotfile', '.env']);
		assert.deepEqual(options.allowedHosts, ['a.test', '.b.test']);
		assert.ok(options.dotfilesAllow.includes('.env'));
		assert.ok(options.dotfilesAllow.includes('.well-known'));
	});

	it('reports bad input as errors with a reason', () => {
		const cases: [string[], RegExp][] = [
			[['70000'], /Invalid port "70000"/],
			[['-1'], /Unknown option|Invalid port/],
			[['abc'], /Invalid port "abc"/],
			[['80', '81'], /at most one port/],
			[['--bind', 'bad host!'], /Invalid bind address/],
			[['--bind', '999.1.1.1'], /Invalid bind address "999\.1\.1\.1".*0-255/],
			[['--bind', '256.0.0.1'], /Invalid bind address/],
			[['--bind', '1.2.3'], /Invalid bind address/],
			[['--bind', '1.2.3.4.5'], /Invalid bind address/],
			[['--frobnicate'], /Unknown option '--frobnicate'/],
			[['--directory'], /argument missing/],
			[['--allow-dotfile', 'env'], /Invalid --allow-dotfile/],
		];
		for (const [argv, message] of cases) {
			const command = parseCliArgs(argv);
			assert.equal(command.kind, 'error', argv.join(' '));
			assert.match((command as { message: string }).message, message);
		}
	});

	it('accepts host names, IPv4 and IPv6 literals', () => {
		for (const host of ['localhost', 'my-box.local', 'host1', '0.0.0.0', '192.168.1.255', '::', '::1', 'fe80::1']) {
			assert.equal(parseCliArgs(['--bind', host]).kind, 'serve', host);
		}
	});

	it('recognises help and version', () => {
		assert.equal(parseCliArgs(['--help']).kind, 'help');
		assert.equal(parseCliArgs(['-v']).kind, 'version');
	});
});

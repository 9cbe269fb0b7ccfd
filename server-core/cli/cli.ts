#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SettingsError } from '../features/settingsError';
import { PortInUseError } from '../http/httpServer';
import type { RequestLogEntry } from '../protocol/requestLog';
import { Session } from '../session';
import { VERSION } from '../version';
import { formatAccessLogLine, formatHeaderBlock } from './accessLog';
import { BatchedWriter } from './batchedWriter';
import { parseCliArgs, USAGE, type CliOptions } from './cliArgs';
import { printExtras, printConsoleMessage } from './cliExtras';
import { resolveCliPaths } from './cliExtrasArgs';

/** Exit codes: 0 clean stop, 1 could not serve, 2 bad arguments (as argparse does). */
const EXIT_RUNTIME_ERROR = 1;
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<void> {
	const command = parseCliArgs(argv);
	switch (command.kind) {
		case 'help':
			process.stdout.write(USAGE);
			return;
		case 'version':
			process.stdout.write(`live-dev-server ${VERSION}\n`);
			return;
		case 'error':
			process.stderr.write(`live-dev-server: error: ${command.message}\n\n${USAGE}`);
			process.exitCode = EXIT_USAGE;
			return;
		case 'serve':
			return serve(command.options);
	}
}

async function serve(options: CliOptions): Promise<void> {
	const root = path.resolve(options.directory);
	const problem = checkDirectory(root);
	if (problem !== undefined) {
		process.stderr.write(`live-dev-server: error: ${problem}\n`);
		process.exitCode = EXIT_USAGE;
		return;
	}

	const color = process.stderr.isTTY === true && !('NO_COLOR' in process.env);
	const log = new BatchedWriter(process.stderr);
	const logRequest = (entry: RequestLogEntry) => {
		let text = formatAccessLogLine(entry, { color }) + '\n';
		if (options.logHeaders) text += formatHeaderBlock(entry) + '\n';
		log.write(text);
	};

	let session: Session;
	try {
		session = await Session.start({
			...resolveCliPaths(options, process.cwd()),
			root,
			onConsoleMessage: (message) => log.write(printConsoleMessage(message, color)),
			// dist/cli.js → dist/live-reload.js beside it (the same layout in the repository, the npm package and the VSIX).
			clientDir: __dirname,
			onWatcherError: (error) => process.stderr.write(`live-dev-server: file watching failed (${error.message}); pages will not reload by themselves.\n`),
			onRequestLogged: options.quiet ? undefined : logRequest,
			logHeaders: options.logHeaders,
		});
	} catch (error) {
		process.stderr.write(`live-dev-server: error: ${describeListenError(error, options)}\n`);
		process.exitCode = error instanceof SettingsError ? EXIT_USAGE : EXIT_RUNTIME_ERROR;
		return;
	}

	const { address } = session;
	if (address.busyPort !== undefined) process.stdout.write(`Port ${address.busyPort} is in use, using port ${address.port} instead.\n`);
	process.stdout.write(`Serving ${root}\n`);
	process.stdout.write(`Serving ${session.extras.tls ? 'HTTPS' : 'HTTP'} on ${address.host} port ${address.port} (${address.url}) ...\n`);
	printExtras(session.extras, options, (line) => process.stdout.write(line));
	if (session.liveReload === undefined) process.stdout.write('Live reload is off.\n');
	if (session.handlers) {
		const { urlPrefix, options: handlerOptions } = session.handlers;
		process.stdout.write(`Handlers: ${urlPrefix}/* runs files from ${handlerOptions.dir} (timeout ${handlerOptions.timeoutMs} ms)\n`);
	}
	process.stdout.write('Press Ctrl+C to stop.\n');

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) process.exit(130); // a second Ctrl-C means "now"
		stopping = true;
		process.stdout.write(signal === 'SIGINT' ? '\nKeyboard interrupt received, exiting.\n' : `\nReceived ${signal}, exiting.\n`);
		log.flush();
		session.close().then(() => process.exit(0), () => process.exit(EXIT_RUNTIME_ERROR));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

function checkDirectory(root: string): string | undefined {
	try {
		if (!fs.statSync(root).isDirectory()) return `${root} is not a directory.`;
		return undefined;
	} catch {
		return `The directory ${root} does not exist.`;
	}
}

function describeListenError(error: unknown, options: CliOptions): string {
	if (error instanceof PortInUseError) {
		return options.portExplicit
			? `${error.message} Choose another port, or leave the port out to use the next free one.`
			: `${error.message} The next ports were busy too; choose a port explicitly.`;
	}
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'EACCES') return `Permission denied to listen on port ${options.port} (ports below 1024 need privileges).`;
	if (code === 'EADDRNOTAVAIL') return `Cannot bind to ${options.host}: no network interface has that address.`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Cannot bind to ${options.host}: the name does not resolve.`;
	return (error as Error).message;
}

/**
 * Output to a closed pipe (`live-dev-server | head -1`, then Ctrl-C) fails with EPIPE, which Node raises as an
 * unhandled 'error' and a crash with a stack trace. What cannot be written has nowhere else to go: drop it and
 * keep serving (and stop cleanly).
 */
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

main(process.argv.slice(2)).catch((error: unknown) => {
	process.stderr.write(`live-dev-server: error: ${(error as Error).message}\n`);
	process.exitCode = EXIT_RUNTIME_ERROR;
});

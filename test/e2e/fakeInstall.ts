import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/tempWorkspace';
import { withTimeout } from '../helpers/waitFor';

/** Versions no real release has: what the installer finds in a fake cache can only come from it. */
export const FAKE_CODE_SERVER_VERSION = '9.9.9';
export const FAKE_NODE_VERSION = '99.0.0';
export const FAKE_VERSION_LINE = `${FAKE_CODE_SERVER_VERSION} 0000000 with Code 1.0.0`;
const INSTALLER = path.join(REPO_ROOT, 'test', 'e2e', 'install-code-server.sh');
const ARCH = process.arch === 'arm64' ? 'arm64' : 'x64';

/**
 * Stand-ins for what test/e2e/install-code-server.sh runs, in `root`: a complete cache (Node "binary" and
 * code-server "entry.js" are shell scripts), and an `npm` that records its pid and then hangs (or fails), so the
 * installer's control flow can be tested in milliseconds, with no network.
 */
export class FakeInstall {
	readonly bin: string;
	readonly npmPidFile: string;

	constructor(readonly root: string) {
		this.bin = path.join(root, 'fakebin');
		this.npmPidFile = path.join(root, 'npm.pid');
		writeScript(path.join(this.bin, 'npm'), [
			'echo $$ >"$FAKE_NPM_PIDFILE"',
			'if [ "$FAKE_NPM" = fail ]; then echo "fake npm: no registry here" >&2; exit 3; fi',
			'exec sleep 300',
		]);
	}

	/** A cache as a complete install leaves it, with the wrapper an older installer wrote (absolute paths). */
	makeCompleteCache(cache: string): void {
		const node24 = path.join(cache, 'node24');
		const prefix = path.join(cache, `code-server-${FAKE_CODE_SERVER_VERSION}`);
		const entry = path.join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
		writeScript(path.join(node24, 'bin', 'node'), [`if [ "$1" = -v ]; then echo v${FAKE_NODE_VERSION}; exit 0; fi`, 'exec /bin/sh "$@"']);
		fs.writeFileSync(path.join(node24, '.lds-complete'), `node-linux-${ARCH}@${FAKE_NODE_VERSION}\n`);
		writeScript(entry, [`echo "${FAKE_VERSION_LINE}"`]);
		writeScript(path.join(prefix, 'bin', 'code-server'), [`exec "${node24}/bin/node" "${entry}" "$@"`]);
		fs.writeFileSync(path.join(prefix, '.lds-complete'), `code-server@${FAKE_CODE_SERVER_VERSION} node@${FAKE_NODE_VERSION}\n`);
	}

	entryScript(cache: string): string {
		return path.join(cache, `code-server-${FAKE_CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
	}

	/** The installer in its own process group (as a CI job or a terminal runs it), output collected. */
	start(cache: string, { npm = 'hang' }: { npm?: 'hang' | 'fail' } = {}): InstallerRun {
		const child = spawn('bash', [INSTALLER], {
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				...process.env,
				PATH: `${this.bin}${path.delimiter}${process.env.PATH}`,
				LDS_CACHE_DIR: cache,
				LDS_CODE_SERVER_VERSION: FAKE_CODE_SERVER_VERSION,
				LDS_NODE_VERSION: FAKE_NODE_VERSION,
				LDS_FORCE: '0',
				FAKE_NPM: npm,
				FAKE_NPM_PIDFILE: this.npmPidFile,
			},
		});
		return new InstallerRun(child);
	}

	/** The pid of the fake npm, once it runs. */
	npmPid(): number | undefined {
		const text = fs.existsSync(this.npmPidFile) ? fs.readFileSync(this.npmPidFile, 'utf8').trim() : '';
		return text === '' ? undefined : Number(text);
	}
}

export class InstallerRun {
	output = '';
	/** Its exit code (or signal name), as soon as the script ends. */
	readonly exited: Promise<number | string>;
	/** The same once its output is complete too (stdout and stderr closed, by whatever else held them). */
	readonly closed: Promise<number | string>;

	constructor(readonly child: ChildProcess) {
		child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
		this.closed = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal!)));
	}

	/** `closed` (or `exited`), failing after `timeoutMs`. */
	async result({ timeoutMs = 20_000, outputComplete = true } = {}): Promise<number | string> {
		return withTimeout(outputComplete ? this.closed : this.exited, timeoutMs, () => `installer still running after ${timeoutMs} ms:\n${this.output}`);
	}
}

/** The live processes of process group `pgid` (zombies left out: they hold no files). */
export function groupMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
		const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(name));
	}
	return members;
}

function writeScript(file: string, lines: string[]): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, ['#!/bin/sh', ...lines, ''].join('\n'), { mode: 0o755 });
}

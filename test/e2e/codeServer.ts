import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../helpers/waitFor';
import { onExit } from './exitCleanup';

const run = promisify(execFile);

/** The executable test/e2e/install-code-server.sh leaves in the cache (or CODE_SERVER). */
export function codeServerExecutable(): string {
	if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
	const cache = process.env.LDS_CACHE_DIR || path.join(os.homedir(), '.cache', 'live-dev-server');
	return path.join(cache, 'bin', 'code-server');
}

/**
 * The user settings of the test profile (trust is off with --disable-workspace-trust, so handlers may run):
 * nothing reaches the network, no editor help gets between the keyboard and the text (completions, closing
 * brackets and tags), no start page.
 */
export const QUIET_SETTINGS = {
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'workbench.enableExperiments': false,
	'workbench.startupEditor': 'none',
	'workbench.tips.enabled': false,
	'chat.disableAIFeatures': true,
	'json.schemaDownload.enable': false,
	'files.autoSave': 'off',
	'editor.quickSuggestions': { other: false, comments: false, strings: false },
	'editor.suggestOnTriggerCharacters': false,
	'editor.acceptSuggestionOnCommitCharacter': false,
	'editor.autoClosingBrackets': 'never',
	'editor.autoClosingQuotes': 'never',
	'editor.autoClosingTags': false,
	'html.autoClosingTags': false,
	'editor.formatOnType': false,
	'editor.formatOnSave': false,
};

export interface CodeServerOptions {
	executable: string;
	/** Private folder for the profile, extensions, config and logs. */
	home: string;
	workspace: string;
	settings: Record<string, unknown>;
}

/**
 * A code-server process in its own process group, with a profile that lives in `home` only. It listens on a port
 * the system picks (read from its log), so no other process can take the port between choosing and binding it.
 */
export class CodeServer {
	readonly userDataDir: string;
	readonly extensionsDir: string;
	readonly logFile: string;
	private readonly _config: string;
	private _child: ChildProcess | undefined;
	private _port: number | undefined;
	/** A detached group outlives us unless killed: also on exit, Ctrl-C or SIGTERM (exitCleanup). */
	private _unregisterKill: (() => void) | undefined;

	constructor(private readonly _options: CodeServerOptions) {
		this.userDataDir = path.join(_options.home, 'user-data');
		this.extensionsDir = path.join(_options.home, 'extensions');
		this.logFile = path.join(_options.home, 'code-server.log');
		this._config = path.join(_options.home, 'config.yaml');
		fs.mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
		fs.mkdirSync(this.extensionsDir, { recursive: true });
		// Our own config file and XDG_DATA_HOME: otherwise code-server writes into ~/.config and ~/.local/share.
		fs.writeFileSync(this._config, 'auth: none\ncert: false\n');
		this.writeSettings(_options.settings);
	}

	get port(): number {
		if (this._port === undefined) throw new Error('code-server has not started');
		return this._port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this._options.workspace)}`;
	}

	/** Where code-server forwards a local port (what `vscode.env.asExternalUri` gives the extension here). */
	forwardedUrl(port: number): string {
		return `http://127.0.0.1:${this.port}/proxy/${port}/`;
	}

	get settingsFile(): string {
		return path.join(this.userDataDir, 'User', 'settings.json');
	}

	/** The user settings.json, read at start (code-server 4.139 does not notice later changes made behind its back). */
	writeSettings(settings: Record<string, unknown>): void {
		fs.writeFileSync(this.settingsFile, JSON.stringify(settings, null, '\t'));
	}

	/** `code-server --install-extension <vsix>`: what a user installing from a file (or the marketplace) gets. */
	async installExtension(vsix: string): Promise<string> {
		const { stdout } = await run(this._options.executable, [...this._profileArgs(), '--install-extension', vsix], { env: this._env(), timeout: 120_000 });
		return stdout;
	}

	async listExtensions(): Promise<string[]> {
		const { stdout } = await run(this._options.executable, [...this._profileArgs(), '--list-extensions', '--show-versions'], { env: this._env(), timeout: 60_000 });
		return stdout.split('\n').map((line) => line.trim()).filter(Boolean);
	}

	async start(): Promise<void> {
		const logStart = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
		const log = fs.openSync(this.logFile, 'a');
		const args = [
			...this._profileArgs(),
			'--auth', 'none',
			'--bind-addr', '127.0.0.1:0',
			'--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--disable-workspace-trust',
			this._options.workspace,
		];
		// detached: its own process group, so the extension host and our server process go with it on stop().
		const child = spawn(this._options.executable, args, { env: this._env(), detached: true, stdio: ['ignore', log, log] });
		fs.closeSync(log);
		this._child = child;
		this._unregisterKill = onExit(() => this._killGroup('SIGKILL', child));
		const exited = () => new Error(`code-server exited with code ${child.exitCode} (log: ${this.logFile})`);
		let logText = '';
		try {
			this._port = await waitFor(() => {
				if (child.exitCode !== null) throw exited();
				logText = fs.readFileSync(this.logFile, 'utf8').slice(logStart);
				const port = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(logText)?.[1];
				return port === undefined ? undefined : Number(port);
			}, { timeoutMs: 60_000, intervalMs: 100, what: 'code-server to say where it listens', details: () => logText.slice(-2000) || '(empty log)' });
			await waitFor(async () => {
				if (child.exitCode !== null) throw exited();
				const response = await fetch(`http://127.0.0.1:${this._port}/healthz`, { signal: AbortSignal.timeout(1000) });
				return response.ok;
			}, { timeoutMs: 60_000, intervalMs: 100, what: 'code-server to answer /healthz', details: () => `log: ${this.logFile}` });
		} catch (error) {
			if (child.exitCode !== null) throw exited();
			throw error;
		}
	}

	/** SIGTERM to the whole group, SIGKILL to what is left after 5 s. */
	async stop(): Promise<void> {
		const child = this._child;
		if (child === undefined) return;
		this._child = undefined;
		try {
			if (!this._killGroup('SIGTERM', child)) return;
			const gone = await waitFor(() => !this._groupAlive(child), { timeoutMs: 5000, intervalMs: 50, what: 'code-server to exit' }).catch(() => false);
			if (!gone) this._killGroup('SIGKILL', child);
		} finally {
			this._unregisterKill?.();
			this._unregisterKill = undefined;
		}
	}

	/** code-server's own log, the extension host's logs (our output channel included), for a failure report. */
	copyLogs(destination: string): void {
		fs.mkdirSync(destination, { recursive: true });
		if (fs.existsSync(this.logFile)) fs.copyFileSync(this.logFile, path.join(destination, 'code-server.log'));
		const logs = path.join(this.userDataDir, 'logs');
		if (fs.existsSync(logs)) fs.cpSync(logs, path.join(destination, 'vscode-logs'), { recursive: true });
	}

	private _profileArgs(): string[] {
		return ['--config', this._config, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
	}

	private _env(): NodeJS.ProcessEnv {
		// EXTENSIONS_GALLERY={}: no marketplace (open-vsx) lookups; the closed network would only slow start-up.
		return { ...process.env, XDG_DATA_HOME: path.join(this._options.home, 'xdg-data'), EXTENSIONS_GALLERY: '{}' };
	}

	private _groupAlive(child: ChildProcess): boolean {
		try {
			process.kill(-child.pid!, 0);
			return true;
		} catch {
			return false;
		}
	}

	private _killGroup(signal: NodeJS.Signals, child = this._child): boolean {
		if (child?.pid === undefined) return false;
		try {
			process.kill(-child.pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { splitCommandLine } from './commandLine';

/** The URL a browser on the user's machine should open: forwarded through the remote tunnel when there is one. */
export async function externalUrl(url: string): Promise<string> {
	return (await vscode.env.asExternalUri(vscode.Uri.parse(url))).toString(true);
}

/**
 * Opens a URL as `liveDevServer.openBrowser` says: `default` (the system browser, through VS Code so remote
 * setups open it locally), `none`, or a browser command that gets the URL as its last argument (no shell).
 */
export async function openInBrowser(url: string, openBrowser: string, log: vscode.LogOutputChannel): Promise<void> {
	if (openBrowser === 'none') return;
	const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
	if (openBrowser === 'default') {
		if (!(await vscode.env.openExternal(external))) log.warn(`The browser did not open ${external.toString(true)}`);
		return;
	}
	const [program, ...args] = splitCommandLine(openBrowser);
	if (program === undefined) return;
	const target = external.toString(true);
	await new Promise<void>((resolve, reject) => {
		const child = spawn(program, [...args, target], { detached: true, stdio: 'ignore', shell: false, windowsHide: false });
		child.once('spawn', () => {
			child.unref();
			resolve();
		});
		child.once('error', (error) => reject(new Error(`Could not run the browser command "${program}" (liveDevServer.openBrowser): ${error.message}`)));
	});
	log.info(`Opened ${target} with ${program}`);
}

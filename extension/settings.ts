import * as vscode from 'vscode';
import { DEFAULT_CONFIGURATION, readConfiguration, type LiveDevServerConfiguration } from '../server-core/protocol/configuration';

export const SECTION = 'liveDevServer';

/**
 * The `liveDevServer.*` settings for a folder (or the window when omitted), validated. The server pulls the
 * serving ones itself (workspace/configuration); the extension uses this for `openBrowser` and `log.headers`.
 * In restricted mode VS Code leaves out workspace values of the settings listed as restrictedConfigurations.
 */
export function readSettings(scope?: vscode.Uri): LiveDevServerConfiguration {
	const config = vscode.workspace.getConfiguration(SECTION, scope);
	const raw: Record<string, unknown> = {};
	for (const key of Object.keys(DEFAULT_CONFIGURATION)) {
		if (key !== 'log') raw[key] = config.get(key);
	}
	raw.log = { headers: config.get('log.headers') };
	return readConfiguration(raw);
}

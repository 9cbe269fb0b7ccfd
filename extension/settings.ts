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
	for (const [key, value] of Object.entries(DEFAULT_CONFIGURATION)) {
		if (typeof value === 'object' && !Array.isArray(value)) {
			const nested: Record<string, unknown> = {};
			for (const inner of Object.keys(value)) nested[inner] = config.get(`${key}.${inner}`);
			raw[key] = nested;
		} else {
			raw[key] = config.get(key);
		}
	}
	return readConfiguration(raw);
}

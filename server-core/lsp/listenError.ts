import { SettingsError } from '../features/settingsError';

/** Errors of `listen()` that only the host setting can cause (a name that does not resolve, an address not here). */
const HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/**
 * A listen failure as the setting behind it (`liveDevServer.host`, `liveDevServer.port`), rather than a bare
 * `getaddrinfo ENOTFOUND`; any other error is returned as it is.
 */
export function listenErrorAsSetting(error: unknown, host: string, port: number): unknown {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code !== undefined && HOST_CODES.has(code)) {
		return new SettingsError('host', `cannot listen on ${JSON.stringify(host)} (${(error as Error).message}); use an address of this machine, such as 127.0.0.1, or 0.0.0.0 for every interface.`);
	}
	if (code === 'EACCES') return new SettingsError('port', `permission denied to listen on port ${port} (ports below 1024 need privileges).`);
	return error;
}

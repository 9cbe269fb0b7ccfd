import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { ReloadNotification, StartServerRequest, StatusRequest, StopServerRequest } from '../protocol/index';
import type { SessionRegistry } from './sessionRegistry';

/** The custom `liveDevServer/*` requests, answered by the session registry. */
export function registerLiveDevServerMethods(connection: Connection, registry: SessionRegistry): void {
	connection.onRequest(StartServerRequest.type, async (params) => {
		try {
			return await registry.start(params);
		} catch (error) {
			// The message is shown to the user as is: no "Request failed with message" prefix, no stack.
			throw new ResponseError(LSPErrorCodes.RequestFailed, (error as Error).message);
		}
	});
	connection.onRequest(StopServerRequest.type, (params) => registry.stop(params.folderUri));
	connection.onRequest(StatusRequest.type, () => ({ sessions: registry.sessions }));
	connection.onNotification(ReloadNotification.type, (params) => registry.reload(params.folderUri));
}

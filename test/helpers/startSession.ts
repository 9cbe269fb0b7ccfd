import { DEFAULT_SETTINGS } from '../../server-core/protocol/settings';
import type { RequestLogEntry } from '../../server-core/protocol/requestLog';
import { Session, type SessionOptions } from '../../server-core/session';
import { REPO_ROOT } from './tempWorkspace';
import * as path from 'node:path';

export interface TestServer {
	session: Session;
	port: number;
	/** `http://127.0.0.1:<port>` without a trailing slash, so `${base}/path` reads naturally. */
	base: string;
	logs: RequestLogEntry[];
	close(): Promise<void>;
}

/** The real server on 127.0.0.1, port 0, collecting its request log. */
export async function startSession(root: string, overrides: Partial<SessionOptions> = {}): Promise<TestServer> {
	const logs: RequestLogEntry[] = [];
	const session = await Session.start({
		...DEFAULT_SETTINGS,
		port: 0,
		host: '127.0.0.1',
		root,
		clientDir: path.join(REPO_ROOT, 'dist'),
		onRequestLogged: (entry) => logs.push(entry),
		...overrides,
	});
	const port = session.address.port;
	return { session, port, base: `http://127.0.0.1:${port}`, logs, close: () => session.close() };
}

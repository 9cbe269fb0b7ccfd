import * as http from 'node:http';
import * as path from 'node:path';
import type { SessionOptions } from '../../server-core/session';
import { DEFAULT_HANDLER_SETTINGS, type HandlerSettings } from '../../server-core/protocol/settings';
import { startSession, type TestServer } from './startSession';
import { REPO_ROOT } from './tempWorkspace';

/** The bundled worker (`npm test` builds dist/ before the tests). */
export const HANDLER_WORKER = path.join(REPO_ROOT, 'dist', 'handlerWorker.js');

export interface HandlerTestServer extends TestServer {
	/** Messages the host logged (worker crashes). */
	messages: string[];
}

/** A real session with handlers enabled, on 127.0.0.1 port 0. */
export async function startHandlerSession(root: string, settings: Partial<HandlerSettings> = {}, overrides: Partial<SessionOptions> = {}): Promise<HandlerTestServer> {
	const messages: string[] = [];
	const server = await startSession(root, {
		// Exact bodies are asserted; live-reload injection into handler HTML has its own test.
		reload: false,
		handlers: { ...DEFAULT_HANDLER_SETTINGS, enabled: true, ...settings },
		handlerWorkerPath: HANDLER_WORKER,
		onHandlerLog: (message) => messages.push(message),
		...overrides,
	});
	return { ...server, messages };
}

export interface StreamingResponse {
	res: http.IncomingMessage;
	/** Resolves with the first body chunk. */
	firstChunk: Promise<string>;
	/** Resolves with the whole body once it ends. */
	body: Promise<string>;
	req: http.ClientRequest;
}

/** A GET whose body is observed chunk by chunk (to prove a response streams). */
export function streamingGet(url: string): Promise<StreamingResponse> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: false }, (res) => {
			let text = '';
			let resolveFirst!: (chunk: string) => void;
			const firstChunk = new Promise<string>((ok) => (resolveFirst = ok));
			const body = new Promise<string>((ok, fail) => {
				res.on('data', (chunk: Buffer) => {
					if (text === '') resolveFirst(chunk.toString('utf8'));
					text += chunk.toString('utf8');
				});
				res.on('end', () => ok(text));
				res.on('error', fail);
			});
			body.catch(() => undefined);
			resolve({ res, firstChunk, body, req });
		});
		req.on('error', reject);
	});
}

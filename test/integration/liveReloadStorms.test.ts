import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { connectLiveClient, tokenFromPage, type LiveClient } from '../helpers/liveClient';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let server: TestServer;
let token: string;

before(async () => {
	workspace = createTempWorkspace('site');
	// A repository: the server watches its git folder for the lock files that announce a checkout.
	workspace.write('.git/HEAD', 'ref: refs/heads/main\n');
	workspace.write('pages/keep.txt', 'an existing folder: writing into it creates no folder');
	server = await startSession(workspace.root);
	await server.session.watching;
	token = await tokenFromPage(server.base);
});

after(async () => {
	await server.close();
	workspace.remove();
});

/** Runs `script` in another Node process (like git or a build tool: events stream in while the server runs). */
async function runWriter(script: string): Promise<void> {
	const writer = spawn(process.execPath, ['-e', `const fs = require('fs'), path = require('path'), root = ${JSON.stringify(workspace.root)};\n${script}`], { stdio: 'inherit' });
	const exitCode = await new Promise((resolve) => writer.on('exit', resolve));
	assert.equal(exitCode, 0);
}

const CSS = { type: 'css', paths: ['/style.css'] };

/**
 * The messages a storm produced, up to a stylesheet written once its first reload arrived: a storm split in two
 * shows a second reload before that css message (or instead of it, when the stylesheet joined the second half).
 */
async function messagesUntilNextChange(client: LiveClient, { reloads }: { reloads: 0 | 1 }): Promise<unknown[]> {
	if (reloads === 1) await client.next();
	workspace.write('style.css', `b { color: teal; } /* ${Date.now()} */\n`);
	await waitFor(() => client.messages.length > reloads, { what: 'the message after the storm' });
	return client.messages;
}

async function openHome(): Promise<LiveClient> {
	const client = await connectLiveClient(server.base, token);
	await waitFor(() => server.session.liveReload!.hub.pages.includes('/'), { what: 'hello from /' });
	return client;
}

/** With a page open on /, runs `script` as another process and returns what the page was told (see above). */
async function messagesAfterWriter(script: string, expected: { reloads: 0 | 1 }): Promise<unknown[]> {
	const client = await openHome();
	try {
		await runWriter(script);
		return await messagesUntilNextChange(client, expected);
	} finally {
		client.close();
	}
}

describe('storms of changes', () => {
	it('turns 2000 files written at once (into an existing folder) into one reload', async () => {
		const messages = await messagesAfterWriter(`for (let f = 0; f < 2000; f++) fs.writeFileSync(path.join(root, 'pages', 'p' + f + '.html'), '<p>' + f);`, { reloads: 1 });
		assert.deepEqual(messages, [{ type: 'reload' }, CSS]);
	});

	it('turns a storm of thousands of files in new folders into one reload', async () => {
		const messages = await messagesAfterWriter(`for (let d = 0; d < 20; d++) {
			fs.mkdirSync(path.join(root, 'storm', 'd' + d), { recursive: true });
			for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(root, 'storm', 'd' + d, 'f' + f + '.txt'), 'x'.repeat(f));
		}`, { reloads: 1 });
		assert.deepEqual(messages, [{ type: 'reload' }, CSS]);
	});

	it("a git checkout (index.lock, a pause, files written in spurts, HEAD) is one reload, and git's own files none", async () => {
		// As git does it: lock the index, think (longer than a burst gap), write the tree in spurts, update HEAD.
		const messages = await messagesAfterWriter(`
			const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
			fs.writeFileSync(path.join(root, '.git', 'index.lock'), 'lock');
			pause(120);
			for (let f = 0; f < 2000; f++) {
				fs.writeFileSync(path.join(root, 'pages', 'p' + f + '.html'), '<p>checked out ' + f);
				if (f < 3 || f % 200 === 199) pause(15); // a few large files first: slower than the debounce
			}
			fs.writeFileSync(path.join(root, '.git', 'HEAD.lock'), 'ref: refs/heads/other\\n');
			fs.renameSync(path.join(root, '.git', 'HEAD.lock'), path.join(root, '.git', 'HEAD'));
			fs.renameSync(path.join(root, '.git', 'index.lock'), path.join(root, '.git', 'index'));`, { reloads: 1 });
		assert.deepEqual(messages, [{ type: 'reload' }, CSS]);
	});

	it('git activity alone reloads nothing', async () => {
		const messages = await messagesAfterWriter(`fs.writeFileSync(path.join(root, '.git', 'index.lock'), 'lock'); fs.rmSync(path.join(root, '.git', 'index.lock'));`, { reloads: 0 });
		assert.deepEqual(messages, [CSS]);
	});
});

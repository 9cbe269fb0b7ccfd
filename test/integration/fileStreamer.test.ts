import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
let server: TestServer;
let big: Buffer;

before(async () => {
	workspace = createTempWorkspace('site');
	big = randomBytes(3 * 1024 * 1024 + 17);
	workspace.write('media/big.bin', big);
	server = await startSession(workspace.root);
});

after(async () => {
	await server.close();
	workspace.remove();
});

describe('large files', () => {
	it('streams a multi-megabyte file intact', async () => {
		const res = await request(`${server.base}/media/big.bin`);
		assert.equal(res.status, 200);
		assert.equal(Number(res.headers['content-length']), big.length);
		assert.ok(res.body.equals(big));
	});

	it('keeps memory flat however many downloads stall', async () => {
		const size = 16 * 1024 * 1024;
		const readers = 16;
		// A sparse file: no 16 MiB buffer in this process to be collected while memory is measured.
		fs.truncateSync(workspace.write('media/huge.bin', ''), size);
		await stalledDownloads(server.port, '/media/huge.bin', 1).then((sockets) => sockets.forEach((socket) => socket.destroy())); // warm up
		const before = process.memoryUsage().rss;
		const sockets = await stalledDownloads(server.port, '/media/huge.bin', readers);
		try {
			const grownMiB = (process.memoryUsage().rss - before) / (1024 * 1024);
			// Holding the bodies would take readers x 16 MiB = 256 MiB; bounded buffers take a few MiB.
			assert.ok(grownMiB < 48, `memory grew by ${grownMiB.toFixed(1)} MiB with ${readers} stalled 16 MiB downloads`);
		} finally {
			for (const socket of sockets) socket.destroy();
		}
	});
});

/** Starts `count` downloads that each stop reading after their first chunk; resolves once all have one. */
async function stalledDownloads(port: number, target: string, count: number): Promise<net.Socket[]> {
	const sockets: net.Socket[] = [];
	await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
		sockets.push(socket);
		socket.once('data', () => {
			socket.pause();
			resolve();
		});
		socket.on('error', reject);
	})));
	return sockets;
}

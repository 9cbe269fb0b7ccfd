// The latency reference: the least a live-reload server can do. fs.watch on one folder, and on the first
// event a WebSocket message at once: no batching, no classification, no HTML work.
// Usage: node rawReloadServer.mjs <port> <folder>
import { watch } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const [port, folder] = process.argv.slice(2);
const server = createServer((req, res) => res.writeHead(404).end());
const sockets = new WebSocketServer({ server });
watch(folder, () => {
	for (const socket of sockets.clients) socket.send('{"type":"reload"}');
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));

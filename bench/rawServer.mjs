// The reference: a bare node:http server answering every path from memory with precomputed bytes.
// Usage: node rawServer.mjs <port> <manifest.json>   (manifest: { "/path": { "file": "...", "type": "..." } })
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, manifestPath] = process.argv.slice(2);
const routes = new Map();
for (const [path, { file, type }] of Object.entries(JSON.parse(readFileSync(manifestPath, 'utf8')))) {
	routes.set(path, { body: readFileSync(file), type });
}
createServer((req, res) => {
	const route = routes.get(req.url);
	if (!route) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(200, { 'Content-Type': route.type, 'Content-Length': route.body.length });
	res.end(route.body);
}).listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));

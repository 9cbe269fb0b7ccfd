// The reference: a bare node:http server answering every path from memory with precomputed bytes.
// Usage: node rawServer.mjs <port> <manifest.json>
//   manifest: { "/path": { "file": "...", "headers": { "content-type": "...", ... } } }
// The static benchmark gives it the headers our server sends for that path (minus Date, Connection and
// Keep-Alive, which Node adds itself), or only a Content-Type for the minimal reference.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, manifestPath] = process.argv.slice(2);
const routes = new Map();
for (const [path, { file, headers }] of Object.entries(JSON.parse(readFileSync(manifestPath, 'utf8')))) {
	const body = readFileSync(file);
	routes.set(path, { body, headers: { ...headers, 'content-length': body.length } });
}
createServer((req, res) => {
	const route = routes.get(req.url);
	if (!route) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(200, route.headers);
	res.end(route.body);
}).listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));

import * as https from 'node:https';
import type { HttpResult, RequestOptions } from './httpRequest';

/** An HTTPS request that trusts exactly `ca` (and checks the name, as browsers do). */
export function httpsRequest(url: string, ca: string, options: RequestOptions & { servername?: string } = {}): Promise<HttpResult & { fingerprint: string }> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, ca, servername: options.servername }, (res) => {
			const chunks: Buffer[] = [];
			const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), fingerprint });
			});
			res.on('error', reject);
		});
		req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`Request to ${url} timed out`)));
		req.on('error', reject);
		req.end(options.body);
	});
}

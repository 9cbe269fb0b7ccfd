// Shared bench helpers: child servers, load generation, statistics. Only 127.0.0.1 is ever contacted.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}

/** Starts a node script as a child process and resolves once `readyPattern` appears on its stdout. */
export function startChild(args, { readyPattern, env = {}, timeoutMs = 15_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`Timed out starting ${args.join(' ')}: ${output}`));
		}, timeoutMs);
		child.stdout.on('data', (chunk) => {
			output += chunk;
			if (readyPattern.test(output)) {
				clearTimeout(timer);
				resolve(child);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`));
		});
	});
}

export async function stopChild(child) {
	if (child.exitCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
	await exited;
	clearTimeout(timer);
}

/** Runs autocannon for `seconds` and returns throughput and latency percentiles. */
export async function load(url, { seconds = 4, connections = 10 } = {}) {
	const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
	if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
	return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bytesPerSecond: result.throughput.average };
}

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export function peakRssMiB(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /VmHWM:\s+(\d+) kB/.exec(status);
	return match ? Number(match[1]) / 1024 : NaN;
}

export function formatTable(rows) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
	return rows.map((row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join('  ')).join('\n');
}

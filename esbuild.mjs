// Builds every bundle: node esbuild.mjs [--watch] [--production] [--tests]
//   dist/cli.js        server-core as a command-line server
//   dist/handlerWorker.js  the worker process that runs dynamic handlers (forked by path at run time)
//   dist/server.js     server-core as a language server (the extension starts it over IPC)
//   dist/extension.js  the VS Code extension (only `vscode` is left external)
//   dist/live-reload.js  the browser client (media/client/), served to pages as /__live/client.js
//   out/test/**.js     node:test files (bundled, so ESM-only dependencies such as mime@4 just work)
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** Prints esbuild's problems in the format VS Code's `$esbuild-watch` problem matcher expects. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => {
			if (watch) console.log('[watch] build started');
		});
		build.onEnd((result) => {
			for (const { text, location } of [...result.errors, ...result.warnings]) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
			if (watch) console.log('[watch] build finished');
		});
	},
};

const common = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	sourcemap: !production,
	sourcesContent: false,
	minify: production,
	logLevel: 'silent',
	define: { LDS_VERSION: JSON.stringify(version) },
	plugins: [problemMatcher],
};

/** Test files of the given folders: shell-free discovery so the list works the same on every platform. */
function testEntries(...folders) {
	return folders.flatMap((folder) => {
		try {
			return readdirSync(folder).filter((name) => name.endsWith('.test.ts')).map((name) => join(folder, name));
		} catch {
			return [];
		}
	});
}

const options = tests
	? [{
		...common,
		sourcemap: true,
		entryPoints: testEntries('test/unit', 'test/integration', 'test/browser', 'test/e2e'),
		outdir: 'out/test',
		outbase: 'test',
		// Resolved at run time from node_modules: native or self-locating packages.
		external: ['esbuild', 'playwright-core', 'bufferutil', 'utf-8-validate'],
	}, {
		// Extension-host tests (npm run test:vscode): run by mocha inside VS Code, so vscode and mocha stay external.
		...common,
		sourcemap: true,
		entryPoints: ['test/vscode/runTest.ts', 'test/vscode/index.ts', ...testEntries('test/vscode')],
		outdir: 'out/test/vscode',
		outbase: 'test/vscode',
		external: ['vscode', 'mocha', '@vscode/test-electron'],
	}]
	: [{
		...common,
		entryPoints: { cli: 'server-core/cli/cli.ts', server: 'server-core/main.ts', handlerWorker: 'server-core/handlers/handlerWorker.ts' },
		outdir: 'dist',
		// Not 'vscode': server-core must never import it, and an import would fail to resolve here.
		external: ['bufferutil', 'utf-8-validate', 'esbuild'],
	}, {
		...common,
		entryPoints: { extension: 'extension/extension.ts' },
		outdir: 'dist',
		external: ['vscode'],
	}, {
		// One classic script, no globals (IIFE). Wrapped so that the start-up never throws into the page: the
		// intrinsics are captured by the first module's body, outside any function main.js could guard.
		...common,
		entryPoints: { 'live-reload': 'media/client/main.js' },
		outdir: 'dist',
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
		// No source map: the page's devtools would ask the server for it, and log the 404 in the page's console.
		sourcemap: false,
		// Not media/tsconfig.json's strict ("use strict"): the client has always run as a sloppy-mode classic script.
		tsconfigRaw: {},
		banner: { js: 'try {' },
		footer: { js: '} catch {\n\t// Only the start-up can throw to here (main.js): live reload stays off, silently.\n}' },
	}];

const contexts = await Promise.all(options.map((option) => esbuild.context(option)));
try {
	if (watch) {
		await Promise.all(contexts.map((context) => context.watch()));
	} else {
		const results = await Promise.allSettled(contexts.map((context) => context.rebuild()));
		await Promise.all(contexts.map((context) => context.dispose()));
		if (results.some((result) => result.status === 'rejected')) process.exit(1);
	}
} catch (error) {
	console.error(error);
	process.exit(1);
}

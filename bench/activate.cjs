// Child process of bench/extension.mjs: loads dist/extension.js against a do-nothing `vscode` module and
// activates it, printing {"loadMs","activateMs"} (a fresh process each time, so the load is cold).
const Module = require('node:module');
const path = require('node:path');

/** Any API member: callable, constructible, and every property of it is again such a member. */
function noop() {
	return new Proxy(function () {}, {
		get: (_target, property) => (property === 'then' ? undefined : property === 'event' ? () => ({ dispose() {} }) : noop()),
		apply: () => noop(),
		construct: () => noop(),
		set: () => true,
	});
}
// Own properties, not a bare Proxy: the bundle copies the module's own keys (esbuild's __toESM).
const vscode = { version: '1.91.0' };
for (const name of ['window', 'workspace', 'commands', 'env', 'languages', 'extensions', 'Uri', 'EventEmitter', 'Disposable', 'ThemeColor', 'MarkdownString',
	'StatusBarAlignment', 'LogLevel', 'ExtensionMode', 'ConfigurationTarget', 'ProgressLocation', 'RelativePattern', 'Range', 'Position']) {
	vscode[name] = noop();
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const extensionPath = process.argv[2];
const started = performance.now();
const extension = require(extensionPath);
const loaded = performance.now();
const root = path.join(path.dirname(extensionPath), '..');
extension.activate({ subscriptions: [], extensionUri: noop(), extensionMode: 1, asAbsolutePath: (relative) => path.join(root, relative) });
const activated = performance.now();
process.stdout.write(JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded }) + '\n');
process.exit(0);

// Loaded by VS Code's extension host (extensionTestsPath): runs every *.test.js beside it with mocha's tdd UI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 30_000 });
	for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js'))) mocha.addFile(path.join(__dirname, file));
	return new Promise((resolve, reject) => {
		mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
	});
}

// npm run bench [-- --quick] [-- static reload ...]: runs the benchmark suites and prints ratios to references
// measured in the same run. Exits non-zero when a target is missed.
import { benchExtension } from './extension.mjs';
import { benchHandlers } from './handlers.mjs';
import { benchReload } from './reload.mjs';
import { benchStatic } from './static.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const selected = args.filter((arg) => !arg.startsWith('--'));
const suites = {
	static: () => benchStatic(quick ? { seconds: 2, rounds: 1 } : {}),
	extension: () => benchExtension(quick ? { rounds: 3 } : {}),
	handlers: () => benchHandlers(quick ? { rounds: 10 } : {}),
	reload: () => benchReload(),
};

let passed = true;
for (const [name, run] of Object.entries(suites)) {
	if (selected.length > 0 && !selected.includes(name)) continue;
	const result = await run();
	passed &&= result.passed;
}
console.log(passed ? '\nAll targets met.' : '\nSome targets were missed.');
process.exitCode = passed ? 0 : 1;

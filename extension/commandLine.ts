/**
 * Splits a browser command line from the `liveDevServer.openBrowser` setting into program and arguments, the
 * way a POSIX shell would for words and quotes only: no variables, globs, pipes or redirections, because the
 * result is spawned without a shell. Single quotes are literal; double quotes allow `\"` and `\\`; outside
 * quotes a backslash escapes the next character (except on Windows, where it is a path separator).
 */
export function splitCommandLine(commandLine: string, { windows = process.platform === 'win32' } = {}): string[] {
	const words: string[] = [];
	let word = '';
	let inWord = false;
	let quote: '"' | "'" | undefined;
	for (let index = 0; index < commandLine.length; index++) {
		const char = commandLine[index]!;
		if (quote === "'") {
			if (char === "'") quote = undefined;
			else word += char;
		} else if (quote === '"') {
			if (char === '"') quote = undefined;
			else if (char === '\\' && (commandLine[index + 1] === '"' || commandLine[index + 1] === '\\')) word += commandLine[++index];
			else word += char;
		} else if (char === '"' || char === "'") {
			quote = char;
			inWord = true;
		} else if (/\s/.test(char)) {
			if (inWord) words.push(word);
			word = '';
			inWord = false;
		} else if (char === '\\' && !windows && index + 1 < commandLine.length) {
			word += commandLine[++index];
			inWord = true;
		} else {
			word += char;
			inWord = true;
		}
	}
	if (quote !== undefined) throw new Error(`Unclosed ${quote} quote in the browser command: ${commandLine}`);
	if (inWord) words.push(word);
	return words;
}

// node vsix-readme.mjs [out]: writes the README that the VSIX carries (default dist/README.vsix.md, run by
// vscode:prepublish; package.json's "vsce": { "readmePath" } hands it to vsce): README.md with links to files of
// this repository reduced to their text, and its images either pointing at LDS_IMAGES_URL (an https URL where
// media/ is published) or left out.
//
// Why: VS Code shows an extension's README with https images only: its sanitizer drops relative and data: sources,
// its Content-Security-Policy blocks http (checked in code-server 4.139, test/e2e/readme.e2e.test.ts). A screenshot
// packaged in the VSIX can never show, and vsce's rewriting would point it at a GitHub repository this project
// does not have. An image left out reads better than a broken one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const out = process.argv[2] ?? 'dist/README.vsix.md';
const imagesUrl = process.env.LDS_IMAGES_URL ? process.env.LDS_IMAGES_URL.replace(/\/?$/, '/') : undefined;
if (imagesUrl !== undefined && !/^https:\/\//.test(imagesUrl)) throw new Error(`LDS_IMAGES_URL must be an https URL (VS Code shows no other images there), not ${imagesUrl}`);
const isRelative = (link) => !/^[a-z][\w+.-]*:/i.test(link) && !link.startsWith('#');

const left = [];
const readme = readFileSync('README.md', 'utf8');
const packaged = readme.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)(\n\n)?/g, (all, bang, text, link, gap = '') => {
	if (!isRelative(link)) return all;
	if (bang === '') return `${text}${gap}`; // a file of the repository: not in the VSIX
	if (imagesUrl !== undefined) return `![${text}](${new URL(link.replace(/^\.\//, ''), imagesUrl).href})${gap}`;
	left.push(link);
	return '';
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, packaged);
const note = left.length === 0 ? '' : `; left out (set LDS_IMAGES_URL to where media/ is published to keep them): ${left.join(', ')}`;
console.log(`${out}: README.md for the VSIX${note}`);

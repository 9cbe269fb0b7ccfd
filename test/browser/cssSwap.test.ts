import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { openLivePage, readMarker, setMarker, useBrowserSite } from '../helpers/livePage';
import { waitFor } from '../helpers/waitFor';

const PAGE = `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="plain.css">
<link rel="stylesheet" href="query.css?v=3&amp;theme=dark">
<style>@import url("imported.css") screen; @import url("layered.css") layer(base) supports(display: grid) all;</style>
</head><body><p id="plain">p</p><p id="query">q</p><p id="imported">i</p><p id="layered">l</p></body></html>`;

const color = (red: number) => `rgb(${red}, 0, 0)`;
const css = (id: string, red: number) => `#${id} { color: ${color(red)}; }\n`;

const site = useBrowserSite({ 'index.html': PAGE, ...Object.fromEntries(['plain', 'query', 'imported', 'layered'].map((id) => [`${id}.css`, css(id, 1)])) });

const colorOf = (page: Page, id: string) => page.$eval(`#${id}`, (element) => getComputedStyle(element).color);

/** The page's stylesheets as the browser sees them: link hrefs and @import rules (of the sheets it could read). */
const sheetsOf = (page: Page) => page.evaluate(() => {
	const rulesOf = (sheet: CSSStyleSheet) => {
		try {
			return Array.from(sheet.cssRules);
		} catch {
			return []; // a sheet that failed to load
		}
	};
	return {
		links: Array.from(document.querySelectorAll('link'), (link) => link.getAttribute('href')),
		imports: Array.from(document.styleSheets).flatMap(rulesOf).filter((rule) => rule instanceof CSSImportRule).map((rule) => rule.cssText),
	};
});

/** Holds the fresh copy of a stylesheet (the one with our cache-busting parameter) until `release` is called. */
async function holdFreshCopy(page: Page, file: string): Promise<{ held: Promise<void>; release: (how?: 'continue' | 'abort') => Promise<void> }> {
	let onHeld!: () => void;
	const held = new Promise<void>((resolve) => (onHeld = resolve));
	let route: Route | undefined;
	const matcher = (url: URL) => url.pathname === `/${file}` && url.searchParams.has('_lds');
	await page.route(matcher, (r) => {
		route = r;
		onHeld();
	});
	return {
		held,
		release: async (how = 'continue') => {
			await (how === 'abort' ? route!.abort() : route!.continue());
			await page.unroute(matcher);
		},
	};
}

describe('stylesheet swap in Chromium', () => {
	for (const id of ['plain', 'query', 'imported', 'layered']) {
		it(`swaps ${id}.css in place, without a flash and without a reload`, async () => {
			const page = await openLivePage(site, '/');
			const errors = collectPageErrors(page);
			try {
				await setMarker(page);
				const before = await sheetsOf(page);
				const fresh = await holdFreshCopy(page, `${id}.css`);
				site.workspace.write(`${id}.css`, css(id, 2));
				await fresh.held;
				// While the new copy loads, the old one still styles the page.
				assert.equal(await colorOf(page, id), color(1));
				await fresh.release();
				await page.waitForFunction(([selector, expected]) => getComputedStyle(document.querySelector(selector!)!).color === expected, [`#${id}`, color(2)], { timeout: 5000 });
				assert.equal(await readMarker(page), 'kept', 'the page was not reloaded');
				// The new copy wins as soon as it has loaded; the old one is removed right after that.
				const afterSwap = await waitFor(async () => {
					const sheets = await sheetsOf(page);
					return sheets.links.length === before.links.length && sheets.imports.length === before.imports.length && sheets;
				}, { what: 'the old <link> or @import to give way to the new one' });
				if (id === 'query') assert.match(String(afterSwap.links[1]), /^query\.css\?v=3&theme=dark&_lds=\d+$/, 'its own query kept');
				if (id === 'imported') assert.match(String(afterSwap.imports[0]), /^@import url\("imported\.css\?_lds=\d+"\) screen;$/, 'media kept, in place');
				if (id === 'layered') assert.match(String(afterSwap.imports[1]), /^@import url\("layered\.css\?_lds=\d+"\) layer\(base\) supports\(display: grid\) all;$/, 'layer, supports and media kept');
				assert.deepEqual(errors, []);
			} finally {
				await page.close();
			}
		});
	}

	it('keeps the old stylesheet when the new one fails to load', async () => {
		const page = await openLivePage(site, '/');
		const errors = collectPageErrors(page);
		try {
			for (const id of ['plain', 'imported']) {
				const before = await sheetsOf(page);
				const beforeColor = await colorOf(page, id);
				const fresh = await holdFreshCopy(page, `${id}.css`);
				site.workspace.write(`${id}.css`, css(id, 3));
				await fresh.held;
				await fresh.release('abort');
				await waitFor(async () => JSON.stringify(await sheetsOf(page)) === JSON.stringify(before), { what: `${id}: the failed copy to go, the old one staying` });
				assert.equal(await colorOf(page, id), beforeColor, `${id}: still styled`);
			}
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});
});

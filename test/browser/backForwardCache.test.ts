import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectPageErrors } from '../helpers/browser';
import { openLivePage, readMarker, setMarker, useBrowserSite } from '../helpers/livePage';
import { waitFor } from '../helpers/waitFor';

const site = useBrowserSite({
	'first.html': '<!DOCTYPE html><html><head><title>1</title></head><body><a id="next" href="second.html">next</a><p id="p">one</p></body></html>',
	'second.html': '<!DOCTYPE html><html><head><title>2</title></head><body><p>two</p></body></html>',
}, { backForwardCache: true });

const hub = () => site.server.session.liveReload!.hub;

describe('back/forward cache', () => {
	it('closes the socket when the page is hidden, so it can be cached, and reconnects when it is restored', async () => {
		const page = await openLivePage(site, '/first.html');
		const errors = collectPageErrors(page);
		try {
			await setMarker(page);
			await page.click('#next');
			await waitFor(() => hub().pages.join() === '/second.html', { what: 'only the second page to be connected' });
			await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires no 'load'
			assert.equal(await readMarker(page), 'kept', 'restored from the back/forward cache, not loaded again');
			await waitFor(() => hub().pages.join() === '/first.html', { what: 'the restored page to reconnect' });

			site.workspace.write('first.html', '<!DOCTYPE html><html><head><title>1</title></head><body><a id="next" href="second.html">next</a><p id="p">edited</p></body></html>');
			await page.waitForFunction(() => document.getElementById('p')?.textContent === 'edited', undefined, { timeout: 5000 });
			assert.deepEqual(errors, []);
		} finally {
			await page.close();
		}
	});
});

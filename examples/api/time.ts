// GET /api/time: a page rendered on the server, the modern take on "override do_GET to show the current time".
// Edit this file and save: the next request runs the new code, no restart.
import type { HandlerContext } from 'live-dev-server';
import { escapeHtml, layout } from './_layout';

export function GET(request: Request, context: HandlerContext): string {
	const now = new Date();
	const zone = new URL(request.url).searchParams.get('zone') ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
	let local: string;
	try {
		local = now.toLocaleString('en-GB', { timeZone: zone, dateStyle: 'full', timeStyle: 'long' });
	} catch {
		local = `unknown time zone "${zone}"`;
	}
	return layout('Server time', `
<p class="lead">The current time on the server is</p>
<p class="clock"><time datetime="${now.toISOString()}">${escapeHtml(local)}</time></p>
<p>UTC: <code>${now.toISOString()}</code>. Try <a href="?zone=Asia/Tokyo">Tokyo</a> or <a href="?zone=America/New_York">New York</a>.</p>
<p>Answered by <code>${escapeHtml(context.route)}</code> for ${escapeHtml(context.clientAddress)}.</p>`);
}

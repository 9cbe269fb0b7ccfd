// POST /api/greet: the form on /form.html posts here. Only POST is exported, so GET answers 405 with Allow.
import { escapeHtml, layout } from './_layout';

export async function POST(request: Request): Promise<Response> {
	const form = await request.formData();
	const name = String(form.get('name') ?? '').trim();
	if (name === '') {
		return new Response(layout('Form error', '<p>Please enter a name. <a href="/form.html">Try again</a>.</p>'), {
			status: 422,
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
		});
	}
	const color = String(form.get('color') ?? 'blue');
	return new Response(layout('Greetings', `<p class="lead">Hello, <strong>${escapeHtml(name)}</strong>! Your favourite colour is ${escapeHtml(color)}.</p>
<p><a href="/form.html">Send another</a></p>`), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

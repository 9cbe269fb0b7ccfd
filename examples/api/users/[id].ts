// GET /api/users/:id: a JSON API with a route parameter. Return a plain object and it is sent as JSON.
import type { HandlerContext } from 'live-dev-server';

const USERS: Record<string, { name: string; role: string }> = {
	'1': { name: 'Ada Lovelace', role: 'analyst' },
	'2': { name: 'Grace Hopper', role: 'admiral' },
	'3': { name: 'Alan Turing', role: 'cryptanalyst' },
};

export function GET(_request: Request, { params }: HandlerContext<{ id: string }>): Response | object {
	const user = USERS[params.id];
	if (user === undefined) return Response.json({ error: `No user with id "${params.id}"` }, { status: 404 });
	return { id: params.id, ...user };
}

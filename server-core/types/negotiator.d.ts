// negotiator 1.x ships no types and @types/negotiator describes 0.6 (no `preferred` option); this covers what we use.
declare module 'negotiator' {
	import type { IncomingHttpHeaders } from 'node:http';
	export default class Negotiator {
		constructor(request: { headers: IncomingHttpHeaders });
		encoding(available: string[], options?: { preferred?: string[] }): string | undefined;
		encodings(available?: string[], options?: { preferred?: string[] }): string[];
	}
}

import { HANDLER_METHODS, type Handler, type HandlerMethod, type HandlerModule } from './types';

export type Picked = { handler: Handler } | { allow: string };

/** Named export for the method, HEAD -> GET, then the default export; otherwise the methods that would work. */
export function pickHandler(mod: HandlerModule, method: string): Picked {
	const named = (HANDLER_METHODS as readonly string[]).includes(method) ? mod[method as HandlerMethod] : undefined;
	if (typeof named === 'function') return { handler: named };
	if (method === 'HEAD' && typeof mod.GET === 'function') return { handler: mod.GET };
	const fallback = defaultHandler(mod);
	if (fallback !== undefined && (HANDLER_METHODS as readonly string[]).includes(method)) return { handler: fallback };
	return { allow: allowedMethods(mod).join(', ') };
}

export function hasAnyHandler(mod: HandlerModule): boolean {
	return defaultHandler(mod) !== undefined || HANDLER_METHODS.some((method) => typeof mod[method] === 'function');
}

function defaultHandler(mod: HandlerModule): Handler | undefined {
	const value = mod.default;
	if (typeof value === 'function') return value;
	if (value !== null && typeof value === 'object' && typeof value.fetch === 'function') return value.fetch.bind(value);
	return undefined;
}

function allowedMethods(mod: HandlerModule): HandlerMethod[] {
	if (defaultHandler(mod) !== undefined) return [...HANDLER_METHODS];
	const methods = HANDLER_METHODS.filter((method) => typeof mod[method] === 'function');
	if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
	if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
	return methods;
}

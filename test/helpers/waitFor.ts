type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface WaitOptions {
	timeoutMs?: number;
	intervalMs?: number;
	what?: string;
	/** The state last seen, asked for when the wait times out (a message built before polling would show the first). */
	details?: () => string;
}

/** Polls until `predicate` returns a truthy value (which is returned), or fails after `timeoutMs`. Never a fixed sleep. */
export async function waitFor<T>(predicate: () => T | Promise<T>, { timeoutMs = 5000, intervalMs = 10, what = 'condition', details }: WaitOptions = {}): Promise<Truthy<T>> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await predicate();
			if (value) return value as Truthy<T>;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}${details ? `; last seen: ${details()}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** `promise`, or an error with `message()` (asked for when the time is up) if it has not settled after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)));
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

import { waitFor } from '../helpers/waitFor';

type WaitOptions = NonNullable<Parameters<typeof waitFor>[1]>;

/**
 * waitFor, whose timeout message ends with `details()`: the state last seen, asked for when the wait fails
 * (a message built before polling would show the first state instead).
 */
export async function waitForDetails<T>(predicate: () => T | Promise<T>, options: WaitOptions & { details: () => string }): ReturnType<typeof waitFor<T>> {
	const { details, ...waitOptions } = options;
	try {
		return await waitFor(predicate, waitOptions);
	} catch (error) {
		if (error instanceof Error) error.message += `; last seen: ${details()}`;
		throw error;
	}
}

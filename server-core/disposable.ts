/** Something that holds a resource until `dispose` is called (an event subscription, a watcher, a timer). */
export interface Disposable {
	dispose(): void;
}

export function toDisposable(dispose: () => void): Disposable {
	let disposed = false;
	return {
		dispose() {
			if (disposed) return;
			disposed = true;
			dispose();
		},
	};
}

/** A typed listener list: `on` returns a Disposable that unsubscribes. */
export class Emitter<T> implements Disposable {
	private readonly _listeners = new Set<(value: T) => void>();

	on(listener: (value: T) => void): Disposable {
		this._listeners.add(listener);
		return toDisposable(() => this._listeners.delete(listener));
	}

	fire(value: T): void {
		for (const listener of [...this._listeners]) listener(value);
	}

	get hasListeners(): boolean {
		return this._listeners.size > 0;
	}

	dispose(): void {
		this._listeners.clear();
	}
}

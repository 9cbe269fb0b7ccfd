/** Anything with `dispose()`: vscode.Disposable, LanguageClient, our own classes. */
export interface DisposableLike {
	dispose(): unknown;
}

/** Base class that disposes what it registered, last first (vscode-livepreview's pattern). */
export abstract class Disposable implements DisposableLike {
	private _isDisposed = false;
	private readonly _disposables: DisposableLike[] = [];

	protected get isDisposed(): boolean {
		return this._isDisposed;
	}

	dispose(): void {
		if (this._isDisposed) return;
		this._isDisposed = true;
		for (const disposable of this._disposables.splice(0).reverse()) disposable.dispose();
	}

	protected _register<T extends DisposableLike>(value: T): T {
		if (this._isDisposed) value.dispose();
		else this._disposables.push(value);
		return value;
	}
}

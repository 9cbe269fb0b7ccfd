import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { DirectoryEntry, FileInfo, FileSource } from '../documents/fileSource';
import { formatEtag } from './conditional';
import { MAX_BUFFERED_HTML_BYTES, sendInjectedHtmlStream } from './htmlStream';
import { listingFingerprint, renderDirectoryListing } from './directoryListing';
import type { ErrorDetails } from './errorPage';
import type { Exchange, HtmlInsertion, PageKind } from './exchange';
import { pageKindOf } from './exchangeView';
import { contentTypeFor, isHtml } from './mimeType';
import { Representation } from './representation';
import { DEFAULT_CACHE_LIMITS, RepresentationCache, type CacheLimits } from './representationCache';
import { findDeniedDotSegment, isDeniedDotSegment, isPathInside, resolveRequestPath, type ResolvedPath } from './resolvePath';
import { sendErrorPage, sendFileStream, sendRepresentation, writeHead } from './sendBody';

export interface StaticFilesOptions {
	/** Absolute path of the served folder. */
	root: string;
	source: FileSource;
	dotfilesAllow: readonly string[];
	/**
	 * True when changes under the root are reported through `invalidateListings` (a watcher runs): a cached
	 * listing is then reused without reading the folder (unless it shows `isUnreported` paths). Otherwise it is
	 * reused only while every entry stats the same. File bodies are always revalidated by stat.
	 */
	listingsCacheable: boolean;
	/** Paths whose changes the watcher does not report (ignore globs): listings showing them are always re-read. */
	isUnreported?: (absolutePath: string) => boolean;
	cacheLimits?: CacheLimits;
	/** URL path this root is served under (a mount such as `/node_modules`); redirects and listings include it. */
	urlPrefix?: string;
}

const INDEX_FILES = ['index.html', 'index.htm'];

interface CachedListing {
	page: Representation;
	/** The URL path, the folder's tag and every shown entry's name, kind, size and date. */
	tag: string;
	/** Valid without reading the folder while its own tag holds: every change that matters is reported. */
	reusableUnread: boolean;
}
const OUTSIDE_ROOT: ErrorDetails = { code: 403, message: 'The path resolves (through a symbolic link) outside the served folder.' };
const NOT_FOUND: ErrorDetails = { code: 404, message: 'File not found' };

/** GET and HEAD for files and folders under one root: the SimpleHTTPRequestHandler of this server. */
export class StaticFiles {
	private readonly _files: RepresentationCache<Representation>;
	private readonly _listings = new RepresentationCache<CachedListing>({ maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024 });
	/** resolveRequestPath is pure, so its answers are memoised per URL path (bounded: cleared when full). */
	private readonly _resolved = new Map<string, ResolvedPath>();
	/** Stats taken during the current event-loop turn (see `_statThisTurn`). */
	private readonly _turnStats = new Map<string, FileInfo | undefined>();
	private _turnStatsScheduled = false;
	private _isHidden: ((realPath: string) => boolean) | undefined;

	private constructor(private readonly _options: StaticFilesOptions, private readonly _realRoot: string) {
		this._files = new RepresentationCache(_options.cacheLimits ?? DEFAULT_CACHE_LIMITS);
	}

	static async create(options: StaticFilesOptions): Promise<StaticFiles> {
		return new StaticFiles(options, await options.source.realpath(options.root));
	}

	get root(): string {
		return this._options.root;
	}

	/**
	 * Files never served however they are reached (handler sources): judged by their real path, after symlinks,
	 * and answered 404 as if absent.
	 */
	hideRealPaths(isHidden: (realPath: string) => boolean): void {
		this._isHidden = isHidden;
		this.clear();
	}

	/** Something under the root changed: listings may be stale (file bodies revalidate themselves). */
	invalidateListings(): void {
		this._listings.clear();
	}

	/** Drops everything cached (used when the HTML transform or the file source changes). */
	clear(): void {
		this._files.clear();
		this._listings.clear();
	}

	/** Answers GET or HEAD. Synchronous for cached files (the hot path); a promise otherwise. */
	handle(exchange: Exchange): void | Promise<void> {
		exchange.source = 'static';
		const resolved = this._resolve(exchange.pathname);
		if (!resolved.ok) return sendErrorPage(exchange, { code: resolved.status, message: resolved.reason });

		// Fast path: a cached file whose stat still matches (one cheap synchronous stat, no realpath, no read).
		const cached = this._files.get(resolved.absolutePath);
		if (cached !== undefined) {
			const info = this._statThisTurn(resolved.absolutePath);
			if (info?.kind === 'file' && info.versionTag === cached.versionTag && isVariantOf(cached, exchange, pageKindOf(exchange))) return this._sendCached(exchange, resolved.absolutePath, cached);
			this._files.delete(resolved.absolutePath);
		}
		return this._handleUncached(exchange, resolved);
	}

	/**
	 * One synchronous stat per file per event-loop turn, shared by the requests answered in that turn.
	 * Still never stale: every request handled in this poll phase had arrived before the poll returned, so
	 * before the stat was taken, and a client that wrote a file before requesting it sees its write.
	 */
	private _statThisTurn(filePath: string): FileInfo | undefined {
		if (this._turnStats.has(filePath)) return this._turnStats.get(filePath);
		const info = this._options.source.statSync(filePath);
		this._turnStats.set(filePath, info);
		if (!this._turnStatsScheduled) {
			this._turnStatsScheduled = true;
			setImmediate(() => {
				this._turnStats.clear();
				this._turnStatsScheduled = false;
			});
		}
		return info;
	}

	private _resolve(pathname: string): ResolvedPath {
		let resolved = this._resolved.get(pathname);
		if (resolved === undefined) {
			resolved = resolveRequestPath(this._options.root, pathname, { dotfilesAllow: this._options.dotfilesAllow });
			if (this._resolved.size >= 2048) this._resolved.clear();
			this._resolved.set(pathname, resolved);
		}
		return resolved;
	}

	private async _handleUncached(exchange: Exchange, resolved: Extract<ResolvedPath, { ok: true }>): Promise<void> {
		const info = await this._options.source.stat(resolved.absolutePath);
		if (info === undefined) return sendErrorPage(exchange, NOT_FOUND);
		const refusal = await this._refuseRealPath(resolved.absolutePath);
		if (refusal !== undefined) return sendErrorPage(exchange, refusal);
		if (info.kind === 'directory') return this._serveDirectory(exchange, resolved.absolutePath, resolved.decodedPath, info);
		if (info.kind !== 'file') return sendErrorPage(exchange, { code: 403, message: 'Not a regular file' });
		return this._serveFile(exchange, resolved.absolutePath, info);
	}

	/**
	 * Why a path may not be served once symlinks are resolved, or undefined when it may. The URL rules
	 * (containment, dotfiles) are applied again to the real path, so a link cannot reach what its target's own
	 * URL would be refused.
	 */
	private async _refuseRealPath(absolutePath: string): Promise<ErrorDetails | undefined> {
		let real: string;
		try {
			real = await this._options.source.realpath(absolutePath);
		} catch {
			return OUTSIDE_ROOT;
		}
		if (!isPathInside(this._realRoot, real)) return OUTSIDE_ROOT;
		const dotSegment = findDeniedDotSegment(path.relative(this._realRoot, real), this._options.dotfilesAllow);
		if (dotSegment !== undefined) {
			return { code: 403, message: `The path resolves (through a symbolic link) to "${dotSegment}", a dotfile; dotfiles are not served unless allowed.` };
		}
		if (this._isHidden?.(real)) return NOT_FOUND;
		return undefined;
	}

	private _sendCached(exchange: Exchange, key: string, representation: Representation): void {
		sendRepresentation(exchange, representation, (bytes) => this._files.grow(key, representation, bytes));
	}

	private async _serveDirectory(exchange: Exchange, directory: string, decodedPath: string, info: FileInfo): Promise<void> {
		if (!exchange.pathname.endsWith('/')) {
			// Relative links in the page need the slash. Leading slashes are collapsed so "//evil.example" never
			// becomes a protocol-relative redirect to another site.
			const location = (this._options.urlPrefix ?? '') + '/' + exchange.pathname.replace(/^\/+/, '') + '/' + exchange.search;
			writeHead(exchange.res, 301, { Location: location, 'Cache-Control': 'no-cache', 'Content-Length': 0 });
			exchange.res.end();
			return;
		}
		for (const name of INDEX_FILES) {
			const indexPath = path.join(directory, name);
			const indexInfo = await this._options.source.stat(indexPath);
			if (indexInfo?.kind === 'file' && (await this._refuseRealPath(indexPath)) === undefined) return this._serveFile(exchange, indexPath, indexInfo);
		}
		return this._serveListing(exchange, directory, decodedPath, info);
	}

	private async _serveFile(exchange: Exchange, filePath: string, info: FileInfo): Promise<void> {
		const contentType = contentTypeFor(filePath);
		const transform = isHtml(contentType) ? exchange.htmlTransform : undefined;
		const kind = pageKindOf(exchange);
		const cached = this._files.get(filePath);
		if (cached !== undefined && cached.versionTag === info.versionTag && isVariantOf(cached, exchange, kind)) return this._sendCached(exchange, filePath, cached);

		const etag = formatEtag(transform ? `${info.versionTag}-${transform.id}` : info.versionTag);
		// HTML too large to hold is streamed, with the script inserted on the way (the tag is built only then).
		const large = info.size > MAX_BUFFERED_HTML_BYTES;
		const insertion = transform !== undefined && large ? transform.insertion?.(exchange.urlPath, kind) : undefined;
		if (insertion !== undefined) return this._streamInjected(exchange, filePath, info, { contentType, etag, lastModifiedMs: info.mtimeMs }, insertion);
		if ((transform === undefined || large) && !this._files.accepts(info.size)) {
			return sendFileStream(exchange, this._options.source, filePath, info, { contentType, etag, lastModifiedMs: info.mtimeMs, rangeable: true });
		}

		let body: Buffer;
		try {
			body = await this._options.source.readFile(filePath);
		} catch (error) {
			return this._sendReadError(exchange, error);
		}
		// The file may have changed between stat and read: then the body is newer than the tag, so do not cache it.
		const stable = this._options.source.statSync(filePath)?.versionTag === info.versionTag && body.length === info.size;
		const representation = new Representation({
			body: transform ? transform.apply(body, exchange.urlPath, kind) : body,
			contentType,
			versionTag: info.versionTag,
			etag,
			lastModifiedMs: info.mtimeMs,
			rangeable: transform === undefined,
			variant: transform?.variant?.(exchange.urlPath, kind) ?? '',
		});
		if (stable) this._files.set(filePath, representation, representation.size);
		return this._sendCached(exchange, filePath, representation);
	}

	/** Large HTML: the script is inserted on the way (see sendInjectedHtmlStream); nothing is cached. */
	private async _streamInjected(exchange: Exchange, filePath: string, info: FileInfo, traits: { contentType: string; etag: string; lastModifiedMs: number }, insertion: HtmlInsertion): Promise<void> {
		try {
			await sendInjectedHtmlStream(exchange, this._options.source, filePath, info, traits, insertion);
		} catch (error) {
			// Only the start is read before the headers go out; later failures are handled by sendFileStream.
			if (!exchange.res.headersSent) return this._sendReadError(exchange, error);
			exchange.res.destroy();
		}
	}

	/**
	 * Listings are cached per folder and reused while they would render the same. Watched, when no change that
	 * could alter the page goes unreported, the folder's own tag is enough and nothing is read (every reported
	 * change clears the cache). Otherwise (no watcher, a mount, an ignored folder or entry) the folder is read
	 * and every entry stat'ed again, but the page is rendered again only if one changed.
	 */
	private async _serveListing(exchange: Exchange, directory: string, decodedPath: string, info: FileInfo): Promise<void> {
		exchange.source = 'listing';
		const folderTag = `${decodedPath}\0${info.versionTag}\0`;
		const cached = this._listings.get(directory);
		if (cached !== undefined && cached.reusableUnread && cached.tag.startsWith(folderTag) && isVariantOf(cached.page, exchange, 'generated')) {
			return this._sendListing(exchange, directory, cached);
		}
		let entries;
		try {
			entries = await this._options.source.readDirectory(directory);
		} catch (error) {
			return this._sendReadError(exchange, error);
		}
		const allowed = this._options.dotfilesAllow;
		const visible = await this._servableLinks(directory, entries.filter((entry) => !isDeniedDotSegment(entry.name, allowed)));
		const tag = folderTag + listingFingerprint(visible);
		if (cached !== undefined && cached.tag === tag && isVariantOf(cached.page, exchange, 'generated')) return this._sendListing(exchange, directory, cached);

		let body: Buffer = Buffer.from(renderDirectoryListing((this._options.urlPrefix ?? '') + decodedPath, visible), 'utf8');
		if (exchange.htmlTransform) body = exchange.htmlTransform.apply(body, exchange.urlPath);
		const page = new Representation({
			body,
			contentType: 'text/html; charset=utf-8',
			versionTag: tag,
			// The content tag is the only validator: the folder's mtime does not change when a file in it grows.
			etag: formatEtag(createHash('sha1').update(body).digest('base64url').slice(0, 20)),
			lastModifiedMs: undefined,
			rangeable: false,
			variant: exchange.htmlTransform?.variant?.(exchange.urlPath) ?? '',
		});
		// Entries added or removed later change the folder's tag; changes to these entries must also be reported.
		const unreported = this._options.isUnreported;
		const reusableUnread = this._options.listingsCacheable && (unreported === undefined
			|| (!unreported(directory) && !visible.some((entry) => unreported(path.join(directory, entry.name)))));
		const listing: CachedListing = { page, tag, reusableUnread };
		this._listings.set(directory, listing, page.size + tag.length);
		return this._sendListing(exchange, directory, listing);
	}

	private _sendListing(exchange: Exchange, directory: string, listing: CachedListing): void {
		sendRepresentation(exchange, listing.page, (bytes) => this._listings.grow(directory, listing, bytes));
	}

	/**
	 * Drops symlinks the server would refuse to follow (outside the root, to a dotfile, to a handler source):
	 * a listing shows what can be opened, and never the size or date of something it must not reveal.
	 */
	private async _servableLinks(directory: string, entries: DirectoryEntry[]): Promise<DirectoryEntry[]> {
		if (!entries.some((entry) => entry.isSymbolicLink)) return entries;
		const refused = await Promise.all(entries.map((entry) => entry.isSymbolicLink === true && this._refuseRealPath(path.join(directory, entry.name))));
		return entries.filter((_, index) => !refused[index]);
	}

	private _sendReadError(exchange: Exchange, error: unknown): void {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return sendErrorPage(exchange, NOT_FOUND);
		if (code === 'EACCES' || code === 'EPERM') return sendErrorPage(exchange, { code: 403, message: 'Permission denied' });
		exchange.error = (error as Error).message;
		return sendErrorPage(exchange, { code: 500, message: 'The file could not be read.' });
	}
}

/** A cached body built for another variant of the URL (HTML reached at another depth, or as another kind of page) is not reused. */
function isVariantOf(representation: Representation, exchange: Exchange, kind: PageKind): boolean {
	return representation.variant === '' || representation.variant === exchange.htmlTransform?.variant?.(exchange.urlPath, kind);
}

import mime from 'mime';

const FALLBACK_TYPE = 'application/octet-stream';

/** Media types that are text but not `text/*`; they get a charset too. */
const TEXTUAL_APPLICATION_TYPES = /^application\/(?:javascript|ecmascript|json|xml|xhtml\+xml|manifest\+json|ld\+json|[\w.-]+\+(?:json|xml))$/;

const byExtension = new Map<string, string>();

/** The Content-Type for a file name, with `charset=utf-8` on textual types (memoised per extension: a hot path). */
export function contentTypeFor(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	const extension = dot === -1 ? '' : fileName.slice(dot + 1).toLowerCase();
	let contentType = byExtension.get(extension);
	if (contentType === undefined) {
		contentType = withCharset(extension === '' ? FALLBACK_TYPE : mime.getType(extension) ?? FALLBACK_TYPE);
		byExtension.set(extension, contentType);
	}
	return contentType;
}

export function withCharset(mediaType: string): string {
	return isTextual(mediaType) ? `${mediaType}; charset=utf-8` : mediaType;
}

export function isTextual(mediaType: string): boolean {
	return mediaType.startsWith('text/') || mediaType === 'image/svg+xml' || TEXTUAL_APPLICATION_TYPES.test(mediaType);
}

export function isHtml(contentType: string): boolean {
	return contentType.startsWith('text/html') || contentType.startsWith('application/xhtml+xml');
}

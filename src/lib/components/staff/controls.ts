// eslint-disable-next-line no-control-regex -- matching control characters is the point
const hidden = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text as staff should read it: controls, zero-width characters and bidi overrides written out
 * as ⟨U+202E⟩, so a name or a logged value is shown, not obeyed (a right-to-left override would
 * otherwise display the rest of the text backwards).
 */
export function showControls(text: string): string {
	return text.replace(
		hidden,
		(c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`
	);
}

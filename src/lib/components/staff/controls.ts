import { invisible } from '$lib/survey/text';

/**
 * Text as staff should read it: controls, zero-width characters and bidi overrides written out
 * as ⟨U+202E⟩, so a name or a logged value is shown, not obeyed (a right-to-left override would
 * otherwise display the rest of the text backwards).
 */
export function showControls(text: string): string {
	return text.replace(
		invisible,
		(c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`
	);
}

// Named classes of characters that text checks refuse or reveal, built from one set of parts so
// every check says which characters it means. Tab, LF and CR are the only controls a multi-line
// text keeps; bidi controls can make a name or a note read as something else.

const C0 = '\\u0000-\\u001f';
const C0_BUT_WHITESPACE = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f';
const DEL = '\\u007f';
const DEL_AND_C1 = '\\u007f-\\u009f';
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const LINE_SEPARATORS = '\\u2028\\u2029';
const ZERO_WIDTH_AND_MARKS = '\\u200b-\\u200f\\ufeff';
const BIDI_EMBEDDINGS = '\\u202a-\\u202e\\u2066-\\u2069';

/** What a stored multi-line answer must not carry: C0 controls but tab and line breaks, DEL. */
export const textControls = new RegExp(`[${C0_BUT_WHITESPACE}${DEL}]`);

/** What a one-line value (a serial, a name, a file name) must not carry: C0 controls and DEL. */
export const lineControls = new RegExp(`[${C0}${DEL}]`);

/** What a staff note must not carry: controls but tab and line breaks, C1, bidi controls. */
export const disguisingInText = new RegExp(`[${C0_BUT_WHITESPACE}${DEL_AND_C1}${BIDI}]`);

/** What a one-line name must not carry: every control, C1 and the bidi controls. */
export const disguisingInLine = new RegExp(`[${C0}${DEL_AND_C1}${BIDI}]`);

/** Characters that end or fake a line in a terminal or log viewer (for replace). */
export const lineBreaking = new RegExp(`[${C0}${DEL_AND_C1}${LINE_SEPARATORS}]`, 'g');

/** Characters that do not show or that reorder text, to be written out for staff (for replace). */
export const invisible = new RegExp(`[${C0}${DEL}${ZERO_WIDTH_AND_MARKS}${BIDI_EMBEDDINGS}]`, 'g');

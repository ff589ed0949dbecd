/** The face a scale level shows: five faces for the 5-level scale; sad, smiling, beaming for the 3-level one. */
export function faceLevel(scale: 'likert5' | 'rating3', value: string | number): 1 | 2 | 3 | 4 | 5 {
	const n = Number(value);
	if (scale === 'rating3') return n === 1 ? 1 : n === 2 ? 4 : 5;
	return Math.min(5, Math.max(1, Math.round(n))) as 1 | 2 | 3 | 4 | 5;
}

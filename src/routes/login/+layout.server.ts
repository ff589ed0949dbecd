import type { LayoutServerLoad } from './$types';

// The sign-in pages translate with translator(data.locale), like every staff page.
export const load: LayoutServerLoad = ({ locals }) => ({ locale: locals.locale });

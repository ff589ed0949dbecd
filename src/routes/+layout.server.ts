import type { LayoutServerLoad } from './$types';

// Every page's data carries the request's locale; components translate with translator(locale).
export const load: LayoutServerLoad = ({ locals }) => ({ locale: locals.locale });

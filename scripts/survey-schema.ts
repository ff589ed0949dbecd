// `npm run schema`: regenerates survey-definitions/schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { surveyJsonSchema } from '../src/lib/survey/json-schema';

writeFileSync('survey-definitions/schema.json', surveyJsonSchema());
console.log('Wrote survey-definitions/schema.json');

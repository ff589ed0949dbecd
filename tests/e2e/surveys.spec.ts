import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { completeSurvey } from './answering';
import { qrCode, signIn } from './helpers';

const surveys = readdirSync('survey-definitions')
	.filter((f) => f.endsWith('.json') && f !== 'schema.json')
	.map(
		(f) =>
			JSON.parse(readFileSync(`survey-definitions/${f}`, 'utf8')) as {
				id: string;
				title: { vi: string; en: string };
			}
	);

for (const survey of surveys) {
	test(`${survey.id}: a citizen answers every question on a phone and reaches the thank-you page`, async ({
		page,
		browser
	}, info) => {
		await signIn(page);
		const code = await qrCode(page, survey.id);
		const phone = await browser.newContext({
			javaScriptEnabled: info.project.name !== 'js-off',
			viewport: { width: 360, height: 740 },
			isMobile: true,
			hasTouch: true
		});
		const citizen = await phone.newPage();
		const started = Date.now();
		await citizen.goto(`/s/${code}`);
		await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(survey.title.vi);
		const answers = await completeSurvey(citizen);
		const ms = Date.now() - started;
		info.annotations.push({
			type: 'completion',
			description: `${survey.id}: ${answers} answers, ${ms} ms`
		});
		console.log(`completion ${info.project.name} ${survey.id}: ${answers} answers in ${ms} ms`);
		await phone.close();
	});
}

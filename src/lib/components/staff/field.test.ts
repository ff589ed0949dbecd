import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Field from './Field.svelte';

const input = (body: string) => body.match(/<input[^>]*>/)?.[0] ?? '';

describe('Field without a control snippet', () => {
	it('renders the input itself, tied to its label, hint and error, the rest passed through', () => {
		const { body } = render(Field, {
			props: {
				id: 'code',
				label: 'Code',
				hint: 'Letters',
				error: 'Needed',
				name: 'code',
				required: true,
				maxlength: 64,
				value: 'AG'
			}
		});
		expect(body).toContain('<label for="code">Code</label>');
		const tag = input(body);
		for (const attribute of [
			'id="code"',
			'name="code"',
			'required',
			'maxlength="64"',
			'value="AG"',
			'aria-invalid="true"',
			'aria-describedby="code-hint code-error"'
		])
			expect(tag).toContain(attribute);
		expect(body).toContain('<p class="hint" id="code-hint">Letters</p>');
		expect(body).toContain('<p class="error" id="code-error">Needed</p>');
	});

	it('sets no aria attributes when there is neither hint nor error', () => {
		const tag = input(
			render(Field, { props: { id: 'period', label: 'Period', name: 'period' } }).body
		);
		expect(tag).toContain('id="period"');
		expect(tag).not.toContain('aria-');
	});

	it("lets a page's own aria-invalid win over Field's", () => {
		const tag = input(
			render(Field, {
				props: { id: 'validTo', label: 'To', error: 'Bad', 'aria-invalid': undefined }
			}).body
		);
		expect(tag).toContain('aria-describedby="validTo-error"');
		expect(tag).not.toContain('aria-invalid');
	});
});

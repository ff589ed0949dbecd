// Progressive enhancement of the respondent page (served as a plain file, no framework): follow-up
// questions appear and disappear as answers change. Without it the server shows them on the next
// render, so nothing here is required.
(() => {
	const form = /** @type {HTMLFormElement | null} */ (document.getElementById('survey'));
	const shown = /** @type {HTMLInputElement | null} */ (
		form?.querySelector('input[name="_shown"]')
	);
	if (!form || !shown) return;
	/** @type {HTMLElement[]} */
	const dependents = [...form.querySelectorAll(/** @type {'div'} */ ('[data-show-if]'))];
	if (!dependents.length) return;

	/** @param {string} name */
	const answersOf = (name) =>
		[...form.querySelectorAll(/** @type {'input'} */ (`[name="${CSS.escape(name)}"]`))]
			.filter((input) =>
				input.type === 'radio' || input.type === 'checkbox' ? input.checked : input.value
			)
			.map((input) => input.value);

	const update = () => {
		const visible = new Set(shown.value.split(' ').filter(Boolean));
		for (const block of dependents) {
			const controller = block.dataset.showIf ?? '';
			const wanted = (block.dataset.showValues ?? '').split(' ');
			const controllerBlock = /** @type {HTMLElement | null} */ (
				form.querySelector(`#q-${CSS.escape(controller)}`)
			);
			const show =
				!controllerBlock?.hidden && answersOf(controller).some((v) => wanted.includes(v));
			block.hidden = !show;
			if (show) visible.add(block.id.slice(2));
			else visible.delete(block.id.slice(2));
		}
		shown.value = [...visible].join(' ');
	};
	form.addEventListener('change', update);
	update();
})();

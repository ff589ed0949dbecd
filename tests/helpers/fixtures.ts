const l = (vi: string, en = vi) => ({ vi, en });

/** The n-th of a series of fixed response ids: they sort in the order of n. */
export const numberedUuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A small survey whose numbers are easy to compute by hand: two 5-level items with N/A, one
 * 3-level item, a choice that reveals a follow-up item, free text, a percentage and a multiple
 * choice; one indicator of each kind.
 */
export const numbersSurvey = {
	id: 'test-numbers',
	version: 1,
	field: 'other',
	title: l('Phiếu thử', 'Test survey'),
	intro: l('Giới thiệu', 'Intro'),
	basis: 'test fixture',
	channels: ['qr', 'kiosk', 'paper'],
	sections: [
		{
			id: 'main',
			title: l('Phần chính', 'Main'),
			questions: [
				{ id: 'q1', type: 'likert5', text: l('Câu 1'), allowNA: true, required: true },
				{ id: 'q2', type: 'likert5', text: l('Câu 2'), allowNA: true },
				{ id: 'r1', type: 'rating3', text: l('Câu 3') },
				{
					id: 'visits',
					type: 'choice',
					text: l('Số lần đi lại'),
					options: [
						{ value: '1', label: l('Một lần') },
						{ value: '2', label: l('Hai lần') },
						{ value: '3', label: l('Ba lần trở lên') }
					]
				},
				{
					id: 'q3',
					type: 'likert5',
					text: l('Câu 5'),
					showIf: { question: 'visits', in: ['2', '3'] }
				},
				{ id: 'comment', type: 'text', maxLength: 20, text: l('Góp ý') },
				{ id: 'pct', type: 'percent', text: l('Phần trăm'), allowNA: true },
				{
					id: 'channels',
					type: 'choice',
					multiple: true,
					text: l('Kênh'),
					options: [
						{ value: 'web', label: l('Web') },
						{ value: 'phone', label: l('Điện thoại') },
						{ value: 'counter', label: l('Quầy') }
					]
				}
			]
		}
	],
	indicators: [
		{
			id: 'overall',
			label: l('Chung'),
			kind: 'share_of_respondents',
			question: 'q1',
			target: 0.85
		},
		{
			id: 'pooled',
			label: l('Gộp'),
			kind: 'share_of_answers',
			questions: ['q1', 'q2'],
			target: 0.85
		},
		{
			id: 'index',
			label: l('Chỉ số'),
			kind: 'mean_of_item_rates',
			questions: ['q1', 'q2', 'r1'],
			target: 0.8
		},
		{ id: 'case', label: l('Hồ sơ'), kind: 'share_of_respondents', question: 'r1', target: 0.5 }
	]
};

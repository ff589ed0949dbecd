import type { IndicatorResult } from '$lib/survey/scoring';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { Results } from '../results';
import type { Unit } from '../units';
import type { Table } from './writers';

const status: Record<string, string> = {
	met: 'Đạt',
	not_met: 'Không đạt',
	inconclusive: 'Chưa kết luận được',
	no_data: 'Chưa có dữ liệu',
	suppressed: 'Không công bố (dưới 10 người)'
};

// Rates as decimals with a dot, as a spreadsheet reads them in any locale setting.
const decimal = (x: number | null) => (x === null ? '' : x.toFixed(4));

function cells(i: IndicatorResult | undefined): string[] {
	if (!i) return ['', '', '', '', '', '', '', '', ''];
	return [
		String(i.n),
		String(i.answers),
		i.satisfied === null ? '' : String(i.satisfied),
		decimal(i.rate),
		decimal(i.ciLow),
		decimal(i.ciHigh),
		decimal(i.effectiveN),
		decimal(i.target),
		i.status ? (status[i.status] ?? i.status) : ''
	];
}

/**
 * The results of a unit and of each of its direct children, one row each: per indicator the
 * respondents (n), valid answers, satisfied answers, rate, the 95% interval and the effective
 * size it was computed on (ARCHITECTURE §5), the target and the verdict against it.
 */
export function resultsTable(
	found: Results,
	def: SurveyDefinition,
	unitNames: Map<string, Unit>
): Table {
	const header = ['Mã đơn vị', 'Tên đơn vị', 'Số phiếu'];
	for (const i of def.indicators) {
		const label = i.label.vi;
		header.push(
			`${label}: số người (n)`,
			`${label}: số câu trả lời`,
			`${label}: số hài lòng`,
			`${label}: tỷ lệ`,
			`${label}: cận dưới 95%`,
			`${label}: cận trên 95%`,
			`${label}: cỡ mẫu hiệu dụng`,
			`${label}: mục tiêu`,
			`${label}: đánh giá`
		);
	}
	const row = (code: string, responses: number, indicators: IndicatorResult[]) => [
		code,
		unitNames.get(code)?.nameVi ?? code,
		String(responses),
		...def.indicators.flatMap((d) => cells(indicators.find((i) => i.id === d.id)))
	];
	const rows = [
		row(found.unit, found.responses, found.indicators),
		...(found.groups ?? []).map((g) => row(g.key, g.responses, g.indicators))
	];
	return {
		header,
		rows: (async function* () {
			yield rows;
		})()
	};
}

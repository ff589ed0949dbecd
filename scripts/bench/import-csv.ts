// A legacy/paper CSV of the size a province brings when it moves to Hài Lòng: every column the
// import takes (docs/api.md, "CSV import"), several of the project's own surveys in one file,
// Vietnamese comments, N/A answers and blank optional answers. Written with csv-stringify, the
// way a spreadsheet's "save as CSV" quotes cells, and seeded so every run writes the same file.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import { readDefinitionFiles } from '$lib/server/surveys';
import {
	allQuestions,
	answerValues,
	type Question,
	type SurveyDefinition
} from '$lib/survey/definition';
import { content, pick, seeded, unhappy, type Random } from './answers';

/** Surveys of the file and their share of its rows: paper-capable, no showIf. */
const MIX: [string, number][] = [
	['sipas-one-stop', 0.6],
	['health-outpatient', 0.2],
	['land-services', 0.1],
	['one-stop-case', 0.1]
];

const COMMENTS = [
	'Cán bộ hướng dẫn tận tình, chu đáo',
	'Thời gian chờ đợi hơi lâu, cần bố trí thêm ghế ngồi',
	'Thủ tục còn rườm rà, phải đi lại nhiều lần',
	'Nhân viên lịch sự, giải quyết hồ sơ đúng hẹn',
	'Phòng chờ nóng, đề nghị lắp thêm quạt',
	'Rất hài lòng với thái độ phục vụ của cán bộ một cửa',
	'Không hài lòng: hồ sơ bị trả lại 2 lần vì thiếu giấy tờ "bản sao"',
	'Cần niêm yết phí, lệ phí rõ ràng hơn; bảng thông tin khó đọc',
	'Bãi giữ xe chật, trời mưa không có mái che',
	'Đề nghị mở rộng dịch vụ công trực tuyến mức độ 4',
	'Tôi được hướng dẫn nộp hồ sơ qua mạng, tiết kiệm thời gian',
	'Ý kiến khác:\nnhân viên bảo vệ thiếu niềm nở'
];
/** Cells a spreadsheet would run as formulas: stored as data, neutralised only on export. */
const FORMULAS = ['=HYPERLINK("http://x.invalid","bấm vào")', '+84 912 345 678', '-', '@SUM(A1)'];

function uuid(rand: Random): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
	hex[12] = '4';
	hex[16] = '89ab'[Math.floor(rand() * 4)]!;
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date of 2019–2023: mostly the day alone, as a paper form gives it; sometimes with a time. */
function answeredAt(rand: Random): string {
	const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(rand() * 1826) * 86_400_000);
	const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
	if (rand() < 0.7) return date;
	const time = `${pad(7 + Math.floor(rand() * 10))}:${pad(Math.floor(rand() * 60))}:00`;
	return rand() < 0.8 ? `${date}T${time}+07:00` : `${date}T${time}Z`;
}

function cell(q: Question, weights: number[], rand: Random): string {
	const optional = !q.required;
	switch (q.type) {
		case 'likert5':
		case 'rating3':
			if (optional && rand() < 0.03) return '';
			if (q.allowNA && rand() < 0.06) return 'NA';
			return String(
				q.type === 'likert5' ? pick(weights, rand) : Math.min(3, Math.ceil(pick(weights, rand) / 2))
			);
		case 'percent':
			return optional && rand() < 0.4 ? '' : String(Math.floor(rand() * 101));
		case 'choice': {
			if (optional && rand() < 0.25) return '';
			const options = answerValues(q) ?? [];
			if (q.multiple) return options.filter(() => rand() < 0.4).join('|') || (options[0] ?? '');
			return options[Math.floor(rand() * options.length)] ?? '';
		}
		case 'text': {
			const r = rand();
			if (r < 0.7) return '';
			if (r < 0.71) return FORMULAS[Math.floor(rand() * FORMULAS.length)]!;
			return COMMENTS[Math.floor(rand() * COMMENTS.length)]!;
		}
	}
}

export interface ImportFile {
	path: string;
	rows: number;
	bytes: number;
	surveys: string[];
	columns: number;
	seconds: number;
}

/** Writes `rows` rows to `path`; the surveys come from survey-definitions/, the units from seeds/. */
export async function writeImportCsv(
	path: string,
	rows: number,
	{ root = process.cwd(), seed = 7 } = {}
): Promise<ImportFile> {
	const started = performance.now();
	const definitions = new Map(
		readDefinitionFiles(join(root, 'survey-definitions')).map((d) => [d.id, d])
	);
	const mix = MIX.map(([id, share]) => {
		const def = definitions.get(id);
		if (!def) throw new Error(`survey ${id} is not in survey-definitions/`);
		return { def, share, questions: allQuestions(def) };
	});
	const units = (
		parse(readFileSync(join(root, 'seeds/units.csv'), 'utf8'), {
			bom: true,
			columns: true
		}) as { code: string }[]
	).map((u) => u.code);
	const questionColumns = [...new Set(mix.flatMap((m) => m.questions.map((q) => q.id)))];
	const columns = ['id', 'survey', 'unit', 'answered_at', 'channel', 'locale', ...questionColumns];
	const rand = seeded(seed);

	function surveyOf(): { def: SurveyDefinition; questions: Question[] } {
		let r = rand();
		for (const m of mix) {
			r -= m.share;
			if (r < 0) return m;
		}
		return mix[0]!;
	}
	function* records() {
		for (let i = 0; i < rows; i++) {
			const { def, questions } = surveyOf();
			const weights = rand() < 0.08 ? unhappy : content;
			const record: Record<string, string> = {
				id: uuid(rand),
				survey: def.id,
				unit: units[Math.floor(rand() * units.length)]!,
				answered_at: answeredAt(rand),
				channel: rand() < 0.5 ? '' : 'paper',
				locale: rand() < 0.3 ? '' : rand() < 0.9 ? 'vi' : 'en'
			};
			for (const q of questions) record[q.id] = cell(q, weights, rand);
			yield record;
		}
	}
	let bytes = 0;
	await pipeline(
		Readable.from(records()),
		stringify({ header: true, columns, bom: true, record_delimiter: 'windows' }),
		async function* (chunks: AsyncIterable<Buffer | string>) {
			for await (const chunk of chunks) {
				bytes += Buffer.byteLength(chunk);
				yield chunk;
			}
		},
		createWriteStream(path)
	);
	return {
		path,
		rows,
		bytes,
		surveys: mix.map((m) => m.def.id),
		columns: columns.length,
		seconds: (performance.now() - started) / 1000
	};
}

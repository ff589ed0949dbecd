// The values the fuzz's cases are made of: valid answers to start from, and lists of hostile
// ones (formula strings, bytes that are not UTF-8, impossible dates, ids, versions…).
import { answerValues, type Question } from '$lib/survey/definition';
import type { Random } from './answers';

export const VIETNAMESE = [
	'Cán bộ hướng dẫn tận tình, chu đáo',
	'Thời gian chờ đợi hơi lâu',
	'Thủ tục rườm rà, phải đi lại nhiều lần',
	'Không hài lòng với thái độ phục vụ'
];
export const FORMULAS = [
	'=HYPERLINK("http://evil.invalid","x")',
	'=1+1',
	'+SUM(A1:A9)',
	'-2+3',
	'@cmd',
	'\t=1',
	'\r=1',
	"=cmd|' /C calc'!A0"
];
export const BAD_UTF8 = [
	[0xff],
	[0xc3, 0x28],
	[0xc0, 0xaf],
	[0xe0, 0x80, 0xaf],
	[0xed, 0xa0, 0x80],
	[0xf4, 0x90, 0x80, 0x80],
	[0x80],
	[0xe1, 0xba]
].map((b) => Buffer.from(b));
export const CONTENT_TYPES = [
	null,
	'text/plain',
	'text/plain; charset=utf-8',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	'application/json; charset=latin1',
	'application/xml',
	'application/json, text/html',
	'*/*'
];
export const DATES = [
	'0000-01-01T00:00:00Z',
	'0001-01-01T00:00:00Z',
	'9999-12-31T23:59:59-14:00',
	'9999-12-31T23:59:59Z',
	'1970-01-01T00:00:00Z',
	'2100-01-01T00:00:00+07:00',
	'2024-02-30T10:00:00Z',
	'2024-01-01T10:00:00',
	'2024-01-01',
	'2024-06-30T23:59:60Z',
	'2024-01-01T24:00:00Z',
	'2024-01-01T10:00:00+99:99',
	'2024-01-01T10:00:00.123456789Z',
	'+275760-09-13T00:00:00Z',
	'ngày 1 tháng 1'
];
export const IDS = [
	'00000000-0000-0000-0000-000000000000',
	'ffffffff-ffff-ffff-ffff-ffffffffffff',
	'{6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c}',
	'6a3b0c1e1d2e4f5a8b9c0d1e2f3a4b5c',
	'6a3b0c1e-1d2e-1f5a-8b9c-0d1e2f3a4b5c',
	'6A3B0C1E-1D2E-4F5A-8B9C-0D1E2F3A4B5C',
	'6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c\u0000',
	'x'.repeat(5000)
];
export const LOCALES = ['EN', 'vi-VN', '', '__proto__', 'toString', 'vi\u0000', 'tiếng việt'];
export const VERSIONS = [
	'0',
	'-1',
	'1.5',
	'999999',
	'9007199254740993',
	'"1"',
	'null',
	'1e400',
	'[]',
	'{}'
];
export const TOUCHPOINTS = [
	'aaaaaaaa',
	'AAAAAAAA',
	'',
	'a'.repeat(65),
	'ab\u0000cd',
	'../../etc/passwd',
	"' or 1=1 --",
	'tiếng',
	'=1+1'
];
export const RAW_BODIES = [
	'',
	'null',
	'[]',
	'1',
	'"x"',
	'\uFEFF{}',
	'{"id": 1, "id": 2}',
	'{"a":}',
	'NaN',
	'{"answers": 1e400}',
	'\u0000',
	'{'.repeat(2000),
	'{"__proto__": {"isAdmin": true}}',
	'{"constructor": {"prototype": {"x": 1}}}'
];

export const pickOf = <T>(list: readonly T[], rand: Random): T =>
	list[Math.floor(rand() * list.length)]!;

export function uuid(rand: Random): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
	hex[12] = '4';
	hex[16] = '89ab'[Math.floor(rand() * 4)]!;
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function validAnswer(q: Question, rand: Random): unknown {
	switch (q.type) {
		case 'likert5':
			return q.allowNA && rand() < 0.1 ? 'NA' : 1 + Math.floor(rand() * 5);
		case 'rating3':
			return 1 + Math.floor(rand() * 3);
		case 'percent':
			return Math.floor(rand() * 101);
		case 'choice': {
			const options = answerValues(q) ?? [];
			return q.multiple ? options.slice(0, 1) : pickOf(options, rand);
		}
		case 'text':
			return pickOf(VIETNAMESE, rand);
	}
}

/** Nested arrays or objects this deep, as JSON text. */
export function nested(depth: number, rand: Random): string {
	return rand() < 0.5
		? '['.repeat(depth) + ']'.repeat(depth)
		: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

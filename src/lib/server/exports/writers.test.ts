import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecord, neutralise } from './csv';
import { backlogged, csvStream, xlsxStream, zipInput, type Table } from './writers';

// Cells as exports meet them: Vietnamese, the characters CSV must quote, formula starts, blanks.
const cell = fc.oneof(
	fc.string({
		unit: fc.constantFrom('a', 'Ư', 'ệ', ',', '"', '\r', '\n', ' ', '=', '+', '-', '@', '\t', ';')
	}),
	fc.string(),
	fc.constant('')
);
const record = fc.array(cell, { minLength: 1, maxLength: 12 });

async function* batches(rows: string[][], size: number) {
	for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const bytesOf = async (stream: ReadableStream<Uint8Array>) =>
	new Uint8Array(await new Response(stream).arrayBuffer());

describe('csvRecord', () => {
	// csv-stringify on its own leaves a lone CR unquoted; RFC 4180 quotes any line break.
	it('writes what csv-stringify writes quoting every line break, formula cells neutralised', () => {
		fc.assert(
			fc.property(record, (cells) => {
				expect(csvRecord(cells)).toBe(
					stringify([cells.map(neutralise)], {
						record_delimiter: 'windows',
						quoted_match: /[\r\n]/
					})
				);
			}),
			{ numRuns: 2000 }
		);
	});

	it('reads back cell for cell through csv-parse, neutralised cells with their quote', () => {
		fc.assert(
			fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), (rows) => {
				const width = rows[0]!.length;
				const even = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
				const text = even.map(csvRecord).join('');
				expect(parse(text, { record_delimiter: '\r\n' })).toEqual(
					even.map((r) => r.map(neutralise))
				);
			}),
			{ numRuns: 500 }
		);
	});

	it('quotes per RFC 4180 and prefixes spreadsheet formulas', () => {
		expect(csvRecord(['Hoà', 'a,b', 'say "hi"', 'two\nlines', '=1+1', '-2+3', '@SUM(A1)'])).toBe(
			`Hoà,"a,b","say ""hi""","two\nlines",'=1+1,'-2+3,'@SUM(A1)\r\n`
		);
		expect(csvRecord(['\tx', '\rx'])).toBe(`'\tx,"'\rx"\r\n`);
	});
});

describe('csvStream', () => {
	it('starts with the UTF-8 BOM and the header, then every batch in order', async () => {
		const rows = [
			['1', 'Hài lòng'],
			['2', '=cmd'],
			['3', '']
		];
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
			await bytesOf(csvStream({ header: ['Mã', 'Ý kiến'], rows: batches(rows, 2) }))
		);
		expect(text).toBe(`\uFEFFMã,Ý kiến\r\n1,Hài lòng\r\n2,'=cmd\r\n3,\r\n`);
	});
});

describe('xlsxStream', () => {
	const table = (n: number): Table => ({
		header: ['Mã', 'Ý kiến'],
		rows: batches(
			Array.from({ length: n }, (_, i) => [String(i + 1), i === 0 ? '=HYPERLINK("x")' : 'ok']),
			2
		)
	});

	it('goes on to a second sheet with the same header past the rows a sheet holds', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(
			(await bytesOf(xlsxStream(table(5), 'Phiếu', { rowsPerSheet: 3 }))).buffer as ArrayBuffer
		);
		expect(book.worksheets.map((s) => s.name)).toEqual(['Phiếu', 'Phiếu (2)']);
		const [first, second] = book.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
		expect(
			first
				.getSheetValues()
				.slice(1)
				.map((r) => (r as unknown[])[1])
		).toEqual(['Mã', '1', '2', '3']);
		expect(
			second
				.getSheetValues()
				.slice(1)
				.map((r) => (r as unknown[])[1])
		).toEqual(['Mã', '4', '5']);
		// A formula-looking answer stays text: a string cell, never a formula.
		expect(first.getCell('B2').value).toBe('=HYPERLINK("x")');
		expect(first.getCell('B2').formula).toBeUndefined();
	});

	it("finds where ExcelJS's zip reads a sheet, the only backpressure it leaves to see", async () => {
		const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough().resume() });
		const sheet = book.addWorksheet('x');
		sheet.addRow(['a']).commit();
		// An ExcelJS upgrade that moves it would silently let a big export's XML pile up again.
		const input = zipInput(sheet);
		expect(input).toBeDefined();
		expect(typeof backlogged(input!)).toBe('boolean');
		sheet.commit();
		await book.commit();
	});

	it('writes a large sheet whole while waiting for the zip to keep up', async () => {
		const rows = 20_000;
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await bytesOf(xlsxStream(table(rows), 'Phiếu'))).buffer as ArrayBuffer);
		expect(book.worksheets[0]!.rowCount).toBe(rows + 1);
	});

	it('keeps one sheet when the rows fit exactly', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(
			(await bytesOf(xlsxStream(table(3), 'Phiếu', { rowsPerSheet: 3 }))).buffer as ArrayBuffer
		);
		expect(book.worksheets.map((s) => s.name)).toEqual(['Phiếu']);
		expect(book.worksheets[0]!.rowCount).toBe(4);
	});
});

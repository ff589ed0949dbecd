import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { neutralise } from '../units-csv';

/** A table to write out: a header and rows that arrive in batches. */
export interface Table {
	header: string[];
	rows: AsyncIterable<string[][]>;
}

const BOM = '\uFEFF';

/**
 * CSV as the contract says: UTF-8 with BOM (Excel), RFC 4180, any cell a spreadsheet would run
 * as a formula prefixed with '. Pulled batch by batch, so a slow download holds back the reads.
 */
export function csvStream(table: Table): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	async function* chunks() {
		yield encoder.encode(
			BOM + stringify([table.header.map(neutralise)], { record_delimiter: 'windows' })
		);
		for await (const batch of table.rows) {
			yield encoder.encode(
				stringify(
					batch.map((row) => row.map(neutralise)),
					{ record_delimiter: 'windows' }
				)
			);
		}
	}
	return pulled(chunks());
}

/** A stream that reads its source only when the reader asks: no read-ahead at all. */
function pulled(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const next = await source.next();
				if (next.done) controller.close();
				else controller.enqueue(next.value);
			},
			async cancel() {
				await source.return(undefined);
			}
		},
		new CountQueuingStrategy({ highWaterMark: 0 })
	);
}

/**
 * XLSX written by ExcelJS's streaming writer: rows are committed as they come and the zip is
 * streamed out; after each batch it waits for the download to drain, so memory stays flat.
 * Every cell is a string cell, never a formula.
 */
export function xlsxStream(table: Table, sheetName: string): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out,
		useStyles: true,
		useSharedStrings: false
	});
	const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = table.header.map((h) => ({
		header: h,
		width: Math.min(60, Math.max(12, h.length))
	}));
	sheet.getRow(1).font = { bold: true };
	sheet.getRow(1).commit();
	void (async () => {
		try {
			for await (const batch of table.rows) {
				for (const row of batch) sheet.addRow(row).commit();
				if (out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
			}
			sheet.commit();
			await workbook.commit();
		} catch (error) {
			out.destroy(error as Error);
		}
	})();
	return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A download response: never cached, named in ASCII with the Vietnamese name alongside. */
export function download(
	body: ReadableStream<Uint8Array>,
	format: 'csv' | 'xlsx',
	baseName: string
): Response {
	const type =
		format === 'csv'
			? 'text/csv; charset=utf-8'
			: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	const ascii = baseName.normalize('NFD').replace(/[^\w.-]+/g, '-');
	return new Response(body, {
		headers: {
			'Content-Type': type,
			'Content-Disposition': `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(baseName)}.${format}`,
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff'
		}
	});
}

import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { BOM, csvRecord } from './csv';

/** A table to write out: a header and rows that arrive in batches. */
export interface Table {
	header: string[];
	rows: AsyncIterable<string[][]>;
}

/**
 * CSV as the contract says: UTF-8 with BOM (Excel), RFC 4180, any cell a spreadsheet would run
 * as a formula prefixed with '. Pulled batch by batch, so a slow download holds back the reads.
 */
export function csvStream(table: Table): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	async function* chunks() {
		yield encoder.encode(BOM + csvRecord(table.header));
		for await (const batch of table.rows) {
			let text = '';
			for (const row of batch) text += csvRecord(row);
			yield encoder.encode(text);
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

/** Excel's limit: 1,048,576 rows a sheet, the header included. */
const EXCEL_ROWS = 1_048_576;

/**
 * XLSX written by ExcelJS's streaming writer: rows are committed as they come and the zip is
 * streamed out; after each batch it waits for the download to drain, so memory stays flat.
 * Every cell is a string cell, never a formula. Rows past Excel's limit go on to a second sheet
 * ("… (2)") with the same header, rather than making a file Excel refuses to open. No cell
 * styles: ExcelJS hashes a style for every cell, which more than doubled the time (npm run bench).
 */
export function xlsxStream(
	table: Table,
	sheetName: string,
	{ rowsPerSheet = EXCEL_ROWS - 1 }: { rowsPerSheet?: number } = {}
): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out,
		useStyles: false,
		useSharedStrings: false
	});
	const addSheet = (n: number) => {
		const sheet = workbook.addWorksheet(n === 1 ? sheetName : `${sheetName} (${n})`, {
			views: [{ state: 'frozen', ySplit: 1 }]
		});
		sheet.columns = table.header.map((h) => ({
			header: h,
			width: Math.min(60, Math.max(12, h.length))
		}));
		sheet.getRow(1).commit();
		return sheet;
	};
	void (async () => {
		try {
			let sheets = 1;
			let sheet = addSheet(sheets);
			let onSheet = 0;
			for await (const batch of table.rows) {
				for (const row of batch) {
					if (onSheet === rowsPerSheet) {
						sheet.commit();
						sheet = addSheet(++sheets);
						onSheet = 0;
					}
					sheet.addRow(row).commit();
					onSheet++;
				}
				if (out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
				// ExcelJS hands the sheet's XML to the zip without waiting: when compressing is slower
				// than the rows come, the XML piles up (1.1 GB for a million rows, npm run bench).
				const zip = zipInput(sheet);
				if (zip && backlogged(zip)) await new Promise<void>((r) => zip.once('drain', r));
			}
			sheet.commit();
			await workbook.commit();
		} catch (error) {
			out.destroy(error as Error);
		}
	})();
	return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** Archiver's own stream (readable-stream 2), which says when it wants no more for a while. */
interface Drainable {
	once(event: 'drain', listener: () => void): unknown;
	writableNeedDrain?: boolean;
	_writableState?: { needDrain?: boolean };
}

/**
 * The stream the zip reads a sheet from (ExcelJS's sheet buffer pipes into it), or undefined if
 * ExcelJS changes: its fill level is the only backpressure ExcelJS leaves to see.
 */
export function zipInput(sheet: ExcelJS.Worksheet): Drainable | undefined {
	const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
	const first = pipes?.[0] as Drainable | undefined;
	return typeof first?.once === 'function' ? first : undefined;
}

/** Whether the zip has more of the sheet waiting than it wants: then wait for its 'drain'. */
export const backlogged = (input: Drainable): boolean | undefined =>
	input.writableNeedDrain ?? input._writableState?.needDrain;

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

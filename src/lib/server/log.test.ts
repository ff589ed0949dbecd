import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from '$lib/server/log';

let lines: string[];
beforeEach(() => {
	lines = [];
	const capture = (line: unknown) => void lines.push(String(line));
	vi.spyOn(console, 'log').mockImplementation(capture);
	vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => {
	vi.restoreAllMocks();
	vi.unstubAllEnvs();
});

const API_TOKEN = 'hl_abcdefghijklmnopqrstuvwxyz234567';
const DEVICE_TOKEN = 'dv_234567abcdefghijklmnopqrstuvwxyz';

describe('log redaction', () => {
	it('writes fields named like a secret or personal data as [redacted], at any depth', () => {
		log.info('sign-in', {
			user: 'u123',
			password: 'hunter2-correct-horse',
			authorization: `Bearer ${API_TOKEN}`,
			cookie: 'session=4ttt2s7ug5bwgnqpvmm5ysbr3s2i6b4c',
			phone: '0912345678',
			contact: { name: 'Nguyễn Văn A', phone: '0912345678' },
			request: { headers: { Cookie: 'lang=vi', 'X-Api-Token': API_TOKEN }, sessionToken: 'abc' }
		});
		expect(lines).toHaveLength(1);
		const [line] = lines;
		for (const secret of [
			'hunter2',
			API_TOKEN,
			'4ttt2s7',
			'0912345678',
			'Nguyễn',
			'lang=vi',
			'abc"'
		]) {
			expect(line).not.toContain(secret);
		}
		expect(line).toContain('user="u123"');
		expect(line).toContain('password="[redacted]"');
		expect(line).toContain('authorization="[redacted]"');
		expect(line).toContain('contact="[redacted]"');
		expect(line).toContain(
			'request={"headers":{"Cookie":"[redacted]","X-Api-Token":"[redacted]"},"sessionToken":"[redacted]"}'
		);
	});

	it('masks phone numbers, bearer credentials and API or device tokens inside free text', () => {
		log.warn('could not store a response from 0912 345 678', {
			note: `gọi +84 912.345.678 hoặc 028-3829-1234; Bearer ${DEVICE_TOKEN}; key ${API_TOKEN}`,
			list: ['0987654321', 'ok']
		});
		const [line] = lines;
		for (const secret of ['0912 345', '912.345', '3829', '0987654321', DEVICE_TOKEN, API_TOKEN]) {
			expect(line).not.toContain(secret);
		}
		expect(line).toContain('could not store a response from [phone]');
		expect(line).toContain('gọi [phone] hoặc [phone]; Bearer [redacted]; key hl_[redacted]');
		expect(line).toContain('list=["[phone]","ok"]');
	});

	it('keeps ids, counts and dates that only look numeric', () => {
		log.info('export finished', {
			id: '0b5d2a96-1c3e-4f7a-9d21-000000012345',
			rows: 1234567890,
			serial: 'PX-2026-0001',
			day: '2026-01-01'
		});
		const [line] = lines;
		expect(line).toContain('id="0b5d2a96-1c3e-4f7a-9d21-000000012345"');
		expect(line).toContain('rows=1234567890');
		expect(line).toContain('serial="PX-2026-0001"');
		expect(line).toContain('day="2026-01-01"');
	});

	it("logs an error's message, SQLSTATE code and stack, never the driver's detail or parameters", () => {
		const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
			code: '23505',
			detail: 'Key (phone)=(0912345678) already exists.',
			parameters: ['0912345678', API_TOKEN]
		});
		log.error('could not store a response', { error });
		const [line] = lines;
		expect(line).toContain('"message":"duplicate key value violates unique constraint"');
		expect(line).toContain('"code":"23505"');
		expect(line).toMatch(/"stack":"Error: duplicate key[^"]*\\n\s+at /);
		expect(line).not.toContain('0912345678');
		expect(line).not.toContain('Key (phone)');
		expect(line).not.toContain(API_TOKEN);
	});

	it('never throws on values JSON cannot encode', () => {
		const loop: Record<string, unknown> = { name: 'loop' };
		loop.self = loop;
		expect(() => log.info('odd values', { big: 10n, loop, missing: undefined })).not.toThrow();
		expect(lines[0]).toContain('big="10"');
		expect(lines[0]).toContain('loop={"name":"loop","self":"[circular]"}');
		expect(lines[0]).toContain('missing=null');
	});
});

describe('log lines', () => {
	it('a message or value with a line break cannot forge a second line', () => {
		const forged = '\n2026-01-01T00:00:00.000Z INFO admin login ok';
		log.info(`survey comment${forged}`, {
			comment: `rất tốt\r${forged}\u2028x\u2029y\u0085z\u001b[2K`,
			[`key${forged}`]: 1
		});
		expect(lines).toHaveLength(1);
		const line = lines[0] ?? '';
		// eslint-disable-next-line no-control-regex -- every character a viewer may break a line at
		expect(line.split(/\r\n|[\n\r\u0085\u2028\u2029\u000b\u000c]/)).toHaveLength(1);
		expect(line).not.toContain('\u001b');
		expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO survey comment\\u000a2026/);
		expect(line).toContain('comment="rất tốt\\r\\n2026');
	});

	it('drops lines below LOG_LEVEL and sends warnings and errors to stderr', () => {
		vi.stubEnv('LOG_LEVEL', 'warn');
		log.info('routine');
		log.warn('unusual');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/ WARN unusual$/);
		expect(console.error).toHaveBeenCalledTimes(1);
		expect(console.log).not.toHaveBeenCalled();
	});
});

// What the bench sends the server: the answers of a short visit, as a kiosk's JSON or as a phone's
// QR form post, over keep-alive sockets like real devices hold.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { sql, type Database } from '$lib/server/db';
import { devices } from '$lib/server/touchpoints';
import { loadRegistry, type SurveyVersion } from '$lib/server/surveys';
import * as touchpoints from '$lib/server/touchpoints';
import { likertQuestions, realisticAnswers, seeded, type Answers } from './answers';
import { SURVEY } from './options';

/** Five hundred different answer sets, cycled: realistic variety without generating per request. */
export function answerPool(questions: ReturnType<typeof likertQuestions>): Answers[] {
	const rand = seeded(1);
	return Array.from({ length: 500 }, () => realisticAnswers(questions, rand));
}

/** Ten of the survey's likert5 questions, the required "overall" among them: a short visit. */
export async function shortVisit(
	db: Database
): Promise<{ version: SurveyVersion; questions: ReturnType<typeof likertQuestions> }> {
	const version = (await loadRegistry(db)).current(SURVEY);
	if (!version) throw new Error(`survey ${SURVEY} is not loaded`);
	const likert = likertQuestions(version.definition);
	const required = likert.filter((q) => q.required);
	return { version, questions: [...required, ...likert.filter((q) => !q.required)].slice(0, 10) };
}

export async function qrTouchpointCode(db: Database): Promise<string> {
	const [row] = await db.query<{ code: string }>(
		sql`select code from touchpoints where channel = 'qr' and survey_id = ${SURVEY} and active limit 1`
	);
	if (!row) throw new Error(`the seeded database has no QR touchpoint for ${SURVEY}`);
	return row.code;
}

/** A kiosk touchpoint beside the QR one, with a paired device: its code and device token. */
export async function pairedKiosk(
	db: Database,
	qrCode: string
): Promise<{ code: string; token: string }> {
	const qr = await touchpoints.findByCode(db, qrCode);
	if (!qr) throw new Error(`touchpoint ${qrCode} not found`);
	const code = await touchpoints.create(db, {
		surveyId: SURVEY,
		unitCode: qr.unitCode,
		channel: 'kiosk'
	});
	const kiosk = (await touchpoints.findByCode(db, code))!;
	const device = await devices.create(db, {
		touchpointId: kiosk.id,
		name: 'bench tablet',
		createdBy: 'bench'
	});
	const paired = await devices.pair(db, device.code);
	if (!paired) throw new Error('the bench kiosk could not be paired');
	return { code, token: paired.token };
}

export type Status = number | 'error';

function send(
	agent: Agent,
	url: string,
	headers: Record<string, string>,
	body: string
): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'POST',
				agent,
				headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }
			},
			(res) => {
				res.on('error', reject);
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.resume();
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

export interface Request {
	kind: 'qr-json' | 'kiosk' | 'qr-form';
	send(agent: Agent): Promise<Status>;
	/** The status that acknowledges a stored response. */
	stored: number;
}

/** The JSON API as a client of a QR touchpoint calls it (no device token). */
export function qrJson(serverUrl: string, code: string, answers: Answers): Request {
	const body = JSON.stringify({
		id: randomUUID(),
		touchpoint: code,
		answeredAt: new Date().toISOString(),
		locale: 'vi',
		answers
	});
	return {
		kind: 'qr-json',
		stored: 201,
		send: (agent) =>
			send(agent, `${serverUrl}/api/v1/responses`, { 'content-type': 'application/json' }, body)
	};
}

/** A kiosk's queued answer: JSON with the device token and the tablet's idempotency key. */
export function kioskJson(
	serverUrl: string,
	kiosk: { code: string; token: string },
	answers: Answers
): Request {
	const body = JSON.stringify({
		id: randomUUID(),
		touchpoint: kiosk.code,
		answeredAt: new Date().toISOString(),
		locale: 'vi',
		answers
	});
	return {
		kind: 'kiosk',
		stored: 201,
		send: (agent) =>
			send(
				agent,
				`${serverUrl}/api/v1/responses`,
				{ 'content-type': 'application/json', authorization: `Bearer ${kiosk.token}` },
				body
			)
	};
}

/** A phone without JavaScript posting the survey form; stored answers are a 303 to the thanks. */
export function qrForm(serverUrl: string, code: string, answers: Answers): Request {
	const body = new URLSearchParams(
		Object.entries(answers).map(([question, value]) => [question, String(value)])
	).toString();
	return {
		kind: 'qr-form',
		stored: 303,
		send: (agent) =>
			send(
				agent,
				`${serverUrl}/s/${code}`,
				{
					'content-type': 'application/x-www-form-urlencoded',
					// As a browser sends them: without text/html, SvelteKit answers an action as JSON.
					accept: 'text/html',
					origin: serverUrl
				},
				body
			)
	};
}

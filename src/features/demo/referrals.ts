// Demo referrals: fictional people in every referral status, with a repeat, children (one unborn), an emergency and
// a transfer, made through the same services (and row-level security) a referrer and a coordinator use, so the demo
// shows what the service does. Names are invented; the first area's earlier referral for "Jonathan Smith" lets a
// newcomer try person matching (README: "Trying person matching").
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';
import { areaRules } from '../referrals/area-rules.ts';
import type { ReferralContext } from '../referrals/context.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson, type PersonInput } from '../referrals/people.ts';
import { CURRENT_CHECKLIST } from '../referrals/rules/checklist.ts';
import { submit } from '../referrals/submit.ts';
import { decide, transfer } from '../triage/decisions.ts';

/** The demo users who act, by their key in users.ts, for one area. */
export type DemoArea = { id: string; userIds: Record<string, string> };

async function actorFor(db: Kysely<Schema>, userId: string): Promise<Actor> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'agency_id'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('membership')
    .select(['area_id', 'role'])
    .where('user_id', '=', userId)
    .execute();
  return {
    userId,
    agencyId: user.agency_id,
    globalRole: null,
    memberships: memberships.map((m) => ({ areaId: m.area_id, role: m.role })),
    sessionId: 'demo-seed',
  };
}

/** Runs fn as the demo user, as one of their requests would: marac_app, row-level security on, audited. */
async function actAs<T>(
  db: Kysely<Schema>,
  keyring: Keyring,
  userId: string,
  fn: (trx: Tx, ctx: ReferralContext) => Promise<T>,
): Promise<T> {
  const actor = await actorFor(db, userId);
  const requestId = `demo-seed-${randomBytes(4).toString('hex')}`;
  return withTransaction(db, { requestId, actorId: userId }, (trx) => fn(trx, { actor, keyring, requestId }));
}

/** Checklist answers: the first `yes` questions answered yes, the rest no. */
function checklist(yes: number) {
  const answers: Record<string, unknown> = {};
  for (const question of CURRENT_CHECKLIST.questions) {
    answers[question.id] = { answer: question.number <= yes ? 'yes' : 'no' };
  }
  return { tool: 'dash_ric' as const, version: CURRENT_CHECKLIST.version, answers };
}

type Then =
  | { do: 'stay' }
  | { do: 'draft' }
  | { do: 'accept' | 'request-information' | 'reject' | 'emergency'; message?: string }
  | { do: 'transfer'; to: 'other'; message: string };

type DemoReferral = {
  area: 0 | 1;
  referrer: 'referrer' | 'health' | 'idva';
  score: number;
  answers?: Record<string, unknown>;
  people: PersonInput[];
  then: Then;
};

const consented = { victimAware: true, consentGiven: true, interpreterNeeded: false, referrerWillAttend: true };
/**
 * The victim's current address (not in a refuge). Postcodes are of valid form in districts that are not in use
 * (ZE8, ZE9), so person matching stores an outward code and a postcode key for each, and none is anyone's home.
 */
const livesAt = (victimAddress: string) => ({ inRefuge: false, victimAddress });
const victim = (givenNames: string, familyName: string, dateOfBirth: string, gender: 'female' | 'male') =>
  ({
    role: 'victim',
    givenNames,
    familyName,
    dateOfBirth,
    attributes: { gender, ethnicity: 'not_known', disability: 'no', pregnant: 'no' },
  }) as const;
const perpetrator = (
  givenNames: string,
  familyName: string,
  dateOfBirth: string,
  relationship: 'partner' | 'ex_partner',
) => ({ role: 'perpetrator', givenNames, familyName, dateOfBirth, relationship }) as const;
const child = (givenNames: string, familyName: string, dateOfBirth: string) =>
  ({
    role: 'child',
    givenNames,
    familyName,
    dateOfBirth,
    relationship: 'child',
    attributes: { presentAtIncidents: 'yes', inCareOf: 'victim' },
    details: { school: 'Demo Primary School' },
  }) as const;

const REFERRALS: DemoReferral[] = [
  // First area: the GP-practice referrer's area. Nothing waits in its "New" list, so a newcomer's referral is on top.
  {
    area: 0,
    referrer: 'idva',
    score: 16,
    answers: {
      ...consented,
      ...livesAt('27 Tanner Street, Harbourside ZE9 1AX'),
      narrative: 'Strangled to the point of passing out after he ended the relationship.',
    },
    people: [
      victim('Jonathan', 'Smith', '1985-03-04', 'male'),
      perpetrator('Kieran', 'Doyle', '1982-07-19', 'ex_partner'),
    ],
    then: { do: 'accept' },
  },
  {
    area: 0,
    referrer: 'health',
    score: 15,
    answers: {
      ...consented,
      hasChildren: true,
      ...livesAt('4 Linnet Close, Harbourside ZE9 3BQ'),
      narrative: 'Disclosed at a baby clinic appointment: pushed down stairs.',
    },
    people: [
      victim('Sorrel', 'Pennant', '1994-10-08', 'female'),
      perpetrator('Gareth', 'Pennant', '1991-05-16', 'partner'),
      child('Ivy', 'Pennant', '2018-02-14'),
      child('Otis', 'Pennant', '2021-07-30'),
    ],
    then: { do: 'accept' },
  },
  {
    area: 0,
    referrer: 'health',
    score: 14,
    answers: {
      ...consented,
      ...livesAt('Flat 6, Mercer House, Quay Road, Harbourside ZE9 2DL'),
      narrative: 'Attended surgery with bruising to both arms; says he checks her phone.',
    },
    people: [
      victim('Tamsin', 'Quillfeather', '1988-01-30', 'female'),
      perpetrator('Lewis', 'Marchbank', '1986-09-11', 'partner'),
    ],
    then: {
      do: 'request-information',
      message: 'Please say whether there are children in the household and whether the police have been told.',
    },
  },
  {
    area: 0,
    referrer: 'referrer',
    score: 8,
    answers: {
      ...consented,
      professionalJudgement: true,
      professionalJudgementRationale: 'He is frightened to go home and has nowhere else to stay.',
      ...livesAt('11 Ropewalk Terrace, Harbourside ZE9 4HT'),
      narrative: 'Verbal abuse and damage to property over two years.',
    },
    people: [
      victim('Rhys', 'Larkhollow', '1979-12-02', 'male'),
      perpetrator('Owen', 'Pryderi', '1980-04-25', 'partner'),
    ],
    then: {
      do: 'reject',
      message:
        'Below the threshold and no escalation yet: referred to the outreach service, who will review in a month.',
    },
  },
  {
    area: 0,
    referrer: 'health',
    score: 15,
    // In a refuge: no address, so no postcode key either.
    answers: {
      ...consented,
      inRefuge: true,
      narrative: 'Threatened with a knife; now staying with her sister in the other area.',
    },
    people: [
      victim('Lena', 'Harrowgate', '1990-08-21', 'female'),
      perpetrator('Marcus', 'Vell', '1987-03-09', 'ex_partner'),
    ],
    then: { do: 'transfer', to: 'other', message: 'The victim has moved into a refuge in your area.' },
  },
  {
    area: 0,
    referrer: 'referrer',
    score: 6,
    answers: { narrative: 'Started from a telephone call; to be finished after the home visit.' },
    people: [victim('Hannah', 'Wrenfield', '1999-06-17', 'female')],
    then: { do: 'draft' },
  },
  // Second area: new referrals waiting for triage, a repeat, an emergency, and a family with an unborn child.
  {
    area: 1,
    referrer: 'health',
    score: 17,
    answers: {
      ...consented,
      hasChildren: true,
      ...livesAt('9 Kestrel Way, Millbrook ZE8 2PF'),
      narrative: 'Punched in the stomach while pregnant.',
    },
    people: [
      victim('Ellie', 'Bramblewood', '1993-06-12', 'female'),
      perpetrator('Dean', 'Bramblewood', '1990-02-27', 'partner'),
      child('Mia', 'Bramblewood', '2016-09-03'),
      child('Noah', 'Bramblewood', '2019-11-20'),
      {
        role: 'child',
        givenNames: 'Unborn',
        familyName: 'Bramblewood',
        dateOfBirth: null,
        relationship: 'child',
        attributes: { unborn: true, expectedDate: '2027-03-01' },
      },
    ],
    then: { do: 'accept' },
  },
  {
    area: 1,
    referrer: 'referrer',
    score: 9,
    answers: {
      ...consented,
      ...livesAt('9 Kestrel Way, Millbrook ZE8 2PF'),
      narrative: 'Police called again after he returned to the address.',
    },
    people: [
      victim('Ellie', 'Bramblewood', '1993-06-12', 'female'),
      perpetrator('Dean', 'Bramblewood', '1990-02-27', 'partner'),
    ],
    then: { do: 'stay' },
  },
  {
    area: 1,
    referrer: 'idva',
    score: 20,
    answers: {
      ...consented,
      ...livesAt('14 Orchard Row, Millbrook ZE8 4DW'),
      narrative: 'He was released from custody this morning and has threatened to kill her.',
    },
    people: [
      victim('Grace', 'Fernsby', '1996-11-05', 'female'),
      perpetrator('Callum', 'Rooke', '1995-01-13', 'ex_partner'),
    ],
    then: { do: 'emergency', message: 'Released today after threats to kill: heard at the next daily safety meeting.' },
  },
  // The same woman again under her new surname, with the old one as an alias and her date of birth mistyped by a
  // digit: person matching offers the earlier "Grace Fernsby" as a possible match (README: "Trying person matching").
  {
    area: 1,
    referrer: 'referrer',
    score: 14,
    answers: {
      ...consented,
      ...livesAt('Flat 3, 2 Quarry Lane, Millbrook ZE8 6NR'),
      narrative: 'Now using her mother’s surname; he has found her new address.',
    },
    people: [
      { ...victim('Grace', 'Tolland', '1996-11-15', 'female'), aliases: ['Grace Fernsby'] },
      perpetrator('Callum', 'Rooke', '1995-01-13', 'ex_partner'),
    ],
    then: { do: 'stay' },
  },
  // Ellie Bramblewood again, under a surname the records do not hold and with an approximate age instead of a date
  // of birth: her postcode key and the year her age gives lead person matching to her earlier referrals.
  {
    area: 1,
    referrer: 'referrer',
    score: 15,
    answers: {
      ...consented,
      ...livesAt('9 Kestrel Way, Millbrook ZE8 2PF'),
      narrative: 'Goes by her own family’s surname now; her date of birth was not known to the officer.',
    },
    people: [
      {
        role: 'victim',
        givenNames: 'Ellie',
        familyName: 'Ashcombe',
        dateOfBirth: null,
        attributes: { approximateAge: 33, gender: 'female', ethnicity: 'not_known', disability: 'no', pregnant: 'no' },
      },
      perpetrator('Dean', 'Bramblewood', '1990-02-27', 'partner'),
    ],
    then: { do: 'stay' },
  },
];

/**
 * Seeds the demo referrals (after the areas and users). Each referral is made, submitted and decided by the demo
 * user whose job that is, through the services a request uses.
 */
export async function seedDemoReferrals(db: Kysely<Schema>, keyring: Keyring, areas: [DemoArea, DemoArea]) {
  for (const referral of REFERRALS) {
    const area = areas[referral.area];
    const referrerId = area.userIds[referral.referrer]!;
    const coordinatorId = area.userIds['coordinator']!;
    const { score, answers = {}, people, then } = referral;
    const id = await actAs(db, keyring, referrerId, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await saveAnswers(trx, ctx, draft.id, { checklist: checklist(score), recentIncidents: 1, ...answers });
      for (const person of people) await addPerson(trx, ctx, draft.id, person);
      if (then.do !== 'draft') {
        const { settings } = await areaRules(trx, area.id);
        await submit(trx, ctx, draft.id, `demo-${randomBytes(12).toString('hex')}`, settings);
      }
      return draft.id;
    });
    if (then.do === 'draft' || then.do === 'stay') continue;
    await actAs(db, keyring, coordinatorId, async (trx, ctx) => {
      if (then.do === 'transfer') {
        const to = areas[referral.area === 0 ? 1 : 0].id;
        await transfer(trx, ctx, area.id, id, to, then.message);
      } else {
        await decide(trx, ctx, area.id, id, then.do, then.message ?? null);
      }
    });
  }
}

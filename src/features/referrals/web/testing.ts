// Shared steps for the referral journey's route tests (not a test file itself).
import assert from 'node:assert/strict';
import type { TestClient } from '../../../../test/client.ts';
import { CURRENT_CHECKLIST } from '../rules/checklist.ts';

/** Posts a page and expects "Save and continue" to move on. */
export async function save(client: TestClient, path: string, fields: Record<string, string>) {
  const res = await client.post(path, { action: 'continue', ...fields });
  assert.equal(res.statusCode, 303, `${path}: ${errorList(res.body).join('; ')}`);
  return res;
}

/** The error summary's links as "field: message", in page order. */
export function errorList(body: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
  const decode = (text: string) =>
    text
      .replaceAll('&#39;', "'")
      .replaceAll('&quot;', '"')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${decode(m[2]!.trim())}`);
}

/** A body for one checklist page: the first `yes` questions of the whole checklist answered yes, the rest no. */
export function checklistPage(page: number, yes: number, extra: Record<string, string> = {}) {
  const fields: Record<string, string> = {};
  for (const q of CURRENT_CHECKLIST.questions.slice((page - 1) * 6, page * 6)) {
    fields[`${q.id}-answer`] = q.number <= yes ? 'yes' : 'no';
  }
  return { ...fields, ...extra };
}

/** Every section of a referral answered, with `text` in each free-text field. */
export async function completeReferral(client: TestClient, id: string, text = (name: string) => `Text for ${name}`) {
  const r = `/referrals/${id}`;
  await save(client, `${r}/about-you`, {
    referrerJobTitle: text('job title'),
    referrerPhone: '01632 960001',
    referrerWillAttend: 'yes',
  });
  await save(client, `${r}/victim`, {
    givenNames: 'Alex',
    familyName: 'Morgan',
    aliases: 'Lexi Morgan',
    'dateOfBirth-day': '1',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
    gender: 'female',
    ethnicity: 'white',
    disability: 'no',
    sexualOrientation: 'heterosexual',
    pregnant: 'no',
    firstLanguage: text('first language'),
    interpreterNeeded: 'no',
  });
  await save(client, `${r}/safe-contact`, {
    inRefuge: 'no',
    victimAddress: text('address'),
    phone: '07700 900123',
    safeToCall: 'yes',
    safeToLeaveMessage: 'no',
    safeTimes: text('safe times'),
    safeMethods: 'text_message',
    safeNotes: text('safe notes'),
  });
  await save(client, `${r}/consent`, {
    victimAware: 'yes',
    consentGiven: 'no',
    lawfulBasis: 'vital_interests',
    lawfulBasisReason: text('lawful basis reason'),
    fears: text('fears'),
    safeToTalkTo: text('safe to talk to'),
    notSafeToTalkTo: text('not safe to talk to'),
    wants: text('wants'),
    wantsToSpeakToPolice: 'not_asked',
  });
  await save(client, `${r}/perpetrators/add`, {
    givenNames: 'Sam',
    familyName: 'Morgan',
    'dateOfBirth-day': '3',
    'dateOfBirth-month': '3',
    'dateOfBirth-year': '1988',
    relationship: 'ex_partner',
    address: text('perpetrator address'),
    riskToProfessionals: 'yes',
    riskToProfessionalsDetails: text('risk to professionals'),
  });
  await save(client, `${r}/children`, { hasChildren: 'yes' });
  await save(client, `${r}/children/add`, {
    unborn: 'no',
    givenNames: 'Riley',
    familyName: 'Morgan',
    'dateOfBirth-day': '5',
    'dateOfBirth-month': '6',
    'dateOfBirth-year': '2019',
    relationship: 'child',
    school: text('school'),
    inCareOf: 'victim',
    careDetails: text('care details'),
    presentAtIncidents: 'yes',
  });
  await save(client, `${r}/household`, { hasHouseholdMembers: 'no' });
  await save(client, `${r}/risk`, { assessmentTool: 'dash_ric' });
  for (let page = 1; page <= 4; page++) {
    await save(
      client,
      `${r}/risk/checklist/${page}`,
      checklistPage(page, 15, page === 1 ? { 'q1-comment': text('checklist comment') } : {}),
    );
  }
  await save(client, `${r}/criteria`, { recentIncidents: '1', professionalJudgement: 'no' });
  await save(client, `${r}/narrative`, {
    narrative: text('narrative'),
    incidentWhen: text('when'),
    incidentWhere: text('where'),
    injuries: text('injuries'),
    reportedToPolice: 'yes',
    previousMarac: 'no',
  });
}

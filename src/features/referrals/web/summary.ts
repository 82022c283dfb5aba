// A ReferralView as summary-list sections, for check-your-answers and the coordinator's full view. Plain strings
// only: the template passes each as `text`, so everything the referrer typed is escaped.
import { ukDate } from '../../../platform/http/views.ts';
import type { ReferralPerson } from '../people.ts';
import type { PersonDetails } from '../person-details.ts';
import type { ReferralView } from '../queries.ts';
import { CURRENT_CHECKLIST, getChecklist } from '../rules/checklist.ts';
import { label, type LabelSet } from './choices.ts';

export type SummaryRow = { key: string; value: string; href?: string };
export type SummarySection = { title: string; rows: SummaryRow[] };

const NOT_GIVEN = 'Not given';
const yesNo = (value: boolean | undefined) => (value === true ? 'Yes' : value === false ? 'No' : NOT_GIVEN);
const text = (value: string | null | undefined) => (value && value.trim() ? value : NOT_GIVEN);
const code = (set: LabelSet, value: unknown) => label(set, value) || NOT_GIVEN;

export function referralSummary(view: ReferralView, changeLinks = false): SummarySection[] {
  const link = (slug: string) => (changeLinks ? `/referrals/${view.id}/${slug}` : undefined);
  const row = (key: string, value: string, slug: string): SummaryRow => {
    const href = link(slug);
    return href ? { key, value, href } : { key, value };
  };
  const a = view.answers;
  const d = view.details;
  const victim = view.people.find((p) => p.role === 'victim');
  const contact = view.safeContact !== null && !('redacted' in view.safeContact) ? view.safeContact : null;
  const redacted = view.safeContact !== null && 'redacted' in view.safeContact;
  const sections: SummarySection[] = [];

  sections.push({
    title: 'About you',
    rows: [
      row('Role or job title', text(d.referrerJobTitle), 'about-you'),
      row('Work phone number', text(d.referrerPhone), 'about-you'),
      row('Will attend the meeting', yesNo(a.referrerWillAttend), 'about-you'),
      ...(d.managerName || a.managerSignOffDate
        ? [
            row("Line manager's name", text(d.managerName), 'about-you'),
            row('Signed off on', a.managerSignOffDate ? ukDate(a.managerSignOffDate) : NOT_GIVEN, 'about-you'),
          ]
        : []),
    ],
  });

  const va = victim?.attributes ?? {};
  sections.push({
    title: 'The victim',
    rows: [
      row('Name', victim ? `${victim.givenNames} ${victim.familyName}` : NOT_GIVEN, 'victim'),
      row('Other names', victim?.aliases.length ? victim.aliases.join(', ') : 'None given', 'victim'),
      row('Date of birth', birth(victim), 'victim'),
      row('Gender', code('gender', va.gender), 'victim'),
      row('Ethnicity', code('ethnicity', va.ethnicity), 'victim'),
      row('Disability', code('yesNoDontKnow', va.disability), 'victim'),
      row('Sexual orientation', code('sexualOrientation', va.sexualOrientation), 'victim'),
      row('Pregnant', code('yesNoDontKnow', va.pregnant), 'victim'),
      row('First language', text(d.firstLanguage), 'victim'),
      row('Interpreter needed', yesNo(a.interpreterNeeded), 'victim'),
    ],
  });

  sections.push({
    title: 'Address and safe contact',
    rows: [
      row('In a refuge, contact through the IDVA service', yesNo(a.inRefuge), 'safe-contact'),
      row('Current address', text(view.victimAddress), 'safe-contact'),
      ...(redacted
        ? [
            {
              key: 'Safe contact details',
              value: 'Only the coordinator, the IDVA service and the referrer can see these',
            },
          ]
        : [
            row('Safe phone number', text(contact?.phone), 'safe-contact'),
            row('Safe email address', text(contact?.email), 'safe-contact'),
            row('Safe to call', yesNo(contact?.safeToCall), 'safe-contact'),
            row('Safe to leave a message', yesNo(contact?.safeToLeaveMessage), 'safe-contact'),
            row('Safe times', text(contact?.safeTimes), 'safe-contact'),
            row(
              'Safe ways to make contact',
              contact?.safeMethods?.length
                ? contact.safeMethods.map((m) => label('safeMethods', m)).join(', ')
                : NOT_GIVEN,
              'safe-contact',
            ),
            row('Notes on safe contact', text(contact?.notes), 'safe-contact'),
          ]),
    ],
  });

  sections.push({
    title: 'Consent and the victim’s wishes',
    rows: [
      row('Aware of the referral', yesNo(a.victimAware), 'consent'),
      ...(a.victimAware === false ? [row('Why not', text(d.notAwareReason), 'consent')] : []),
      row('Consented to sharing', yesNo(a.consentGiven), 'consent'),
      ...(a.consentGiven === false
        ? [
            row('Lawful basis', code('lawfulBasis', a.lawfulBasis), 'consent'),
            row('Why sharing without consent', text(d.lawfulBasisReason), 'consent'),
          ]
        : []),
      row('Afraid of', text(d.fears), 'consent'),
      row('Safe to talk to', text(d.safeToTalkTo), 'consent'),
      row('Not safe to talk to', text(d.notSafeToTalkTo), 'consent'),
      row('Wants from the MARAC', text(d.wants), 'consent'),
      row('Wants to speak to the police', code('wantsToSpeakToPolice', a.wantsToSpeakToPolice), 'consent'),
    ],
  });

  const perpetrators = view.people.filter((p) => p.role === 'perpetrator');
  const personRows = (p: ReferralPerson, slug: string): SummaryRow[] => {
    const sealed: PersonDetails = view.personDetails[p.id] ?? {};
    const edit = changeLinks ? `/referrals/${view.id}/${slug}/${p.id}` : undefined;
    const r = (key: string, value: string): SummaryRow => (edit ? { key, value, href: edit } : { key, value });
    const attrs = p.attributes;
    const rows: SummaryRow[] = [
      r('Name', `${p.givenNames} ${p.familyName}`),
      r('Other names', p.aliases.length ? p.aliases.join(', ') : 'None given'),
      r(
        attrs.unborn ? 'Expected date of birth' : 'Date of birth',
        attrs.unborn ? (attrs.expectedDate ? ukDate(attrs.expectedDate) : NOT_GIVEN) : birth(p),
      ),
      r('Relationship to the victim', code('relationship', p.relationship)),
    ];
    if (p.role === 'perpetrator') {
      rows.push(
        r('Gender', code('gender', attrs.gender)),
        r('Address', text(sealed.address)),
        r('Risk to professionals', code('yesNoDontKnow', attrs.riskToProfessionals)),
        r('The risk', text(sealed.riskToProfessionalsDetails)),
      );
    } else if (p.role === 'child') {
      for (const perpetrator of perpetrators) {
        const rel = attrs.relationshipToPerpetrators?.[perpetrator.id];
        rows.push(r(`Relationship to ${perpetrator.givenNames} ${perpetrator.familyName}`, code('relationship', rel)));
      }
      rows.push(
        r('School', text(sealed.school)),
        r('In the care of', code('inCareOf', attrs.inCareOf)),
        r('Care details', text(sealed.careDetails)),
        r('Present at incidents', code('yesNoDontKnow', attrs.presentAtIncidents)),
      );
    } else {
      rows.push(r('At risk', code('yesNoDontKnow', attrs.atRisk)), r('Notes', text(sealed.notes)));
    }
    return rows;
  };
  const group = (title: string, role: string, slug: string, none: string) => {
    const list = view.people.filter((p) => p.role === role);
    if (list.length === 0) sections.push({ title, rows: [row(title, none, slug)] });
    list.forEach((p, i) =>
      sections.push({ title: list.length > 1 ? `${title}: ${i + 1}` : title, rows: personRows(p, slug) }),
    );
  };
  group('Perpetrator', 'perpetrator', 'perpetrators', 'None added');
  group('Child', 'child', 'children', a.hasChildren === false ? 'No children' : 'None added');
  group(
    'Household member at risk',
    'household_member',
    'household',
    a.hasHouseholdMembers === false ? 'None' : 'None added',
  );

  const tool = a.assessmentTool ?? (view.checklist ? 'dash_ric' : undefined);
  const riskRows: SummaryRow[] = [row('Risk assessment', code('assessmentTool', tool), 'risk')];
  if (tool === 'dash_ric') {
    const checklist = (view.checklist && getChecklist('dash_ric', view.checklist.version)) || CURRENT_CHECKLIST;
    const answers = view.checklist?.answers ?? {};
    const yes = checklist.questions.filter((q) => answers[q.id]?.answer === 'yes').length;
    riskRows.push(row('Score', `${yes} “yes” answers out of ${checklist.questions.length}`, 'risk/checklist/1'));
    for (const q of checklist.questions) {
      const answer = answers[q.id];
      const parts = [answer ? label('yesNoDontKnow', answer.answer) || NOT_GIVEN : 'Not answered'];
      for (const detail of q.details ?? []) {
        const value = answer?.details?.[detail.id];
        if (value === undefined) continue;
        const shown =
          typeof value !== 'string'
            ? [...value]
                .map((v) => (detail.kind === 'text' ? v : (detail.options.find((o) => o.value === v)?.text ?? v)))
                .join(', ')
            : detail.kind === 'text'
              ? String(value)
              : (detail.options.find((o) => o.value === value)?.text ?? String(value));
        parts.push(`${detail.label} ${shown}`);
      }
      if (answer?.source) parts.push(`Source: ${answer.source}`);
      if (answer?.comment) parts.push(`Comment: ${answer.comment}`);
      riskRows.push(
        row(`${q.number}. ${q.text}`, parts.join('\n'), `risk/checklist/${Math.floor((q.number - 1) / 6) + 1}`),
      );
    }
  } else if (tool === 'dara' || tool === 'other') {
    if (tool === 'other') {
      riskRows.push(row('Tool', text(d.otherToolName), 'risk'), row('Version', text(d.otherToolVersion), 'risk'));
    }
    riskRows.push(row('Result', code('riskLevel', a.assessmentResult), 'risk'));
  }
  sections.push({ title: 'Risk assessment', rows: riskRows });

  sections.push({
    title: 'Referral criteria',
    rows: [
      row(
        'Incidents in the past 12 months',
        a.recentIncidents === undefined ? NOT_GIVEN : String(a.recentIncidents),
        'criteria',
      ),
      row('Professional judgement', yesNo(a.professionalJudgement), 'criteria'),
      ...(a.professionalJudgement ? [row('Why', text(view.professionalJudgementRationale), 'criteria')] : []),
    ],
  });

  sections.push({
    title: 'What happened',
    rows: [
      row('What happened', text(view.narrative), 'narrative'),
      row('When', text(d.incidentWhen), 'narrative'),
      row('Where', text(d.incidentWhere), 'narrative'),
      row('Injuries', text(d.injuries), 'narrative'),
      row('Reported to the police', code('yesNoDontKnow', a.reportedToPolice), 'narrative'),
      row('Previous MARAC referral known', code('previousMarac', a.previousMarac), 'narrative'),
      row('About the previous referral', text(d.previousMaracDetails), 'narrative'),
    ],
  });
  return sections;
}

function birth(person: ReferralPerson | undefined): string {
  if (!person) return NOT_GIVEN;
  if (person.dateOfBirth) return ukDate(person.dateOfBirth);
  const age = person.attributes.approximateAge;
  return age === undefined ? NOT_GIVEN : `Not known (about ${age} years old)`;
}

import { z } from 'zod';
import { AREA_ROLES, GLOBAL_ROLES, type AreaRole, type GlobalRole } from '../../platform/access/actor.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../platform/db/schema.ts';
import type { FieldErrors, FormResult } from '../../platform/http/forms.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { isUuid } from './ids.ts';

const keys = <K extends string>(record: Record<K, string>) => Object.keys(record) as [K, ...K[]];

const text = (missing: string, max: number, tooLong: string) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, tooLong);

const email = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .toLowerCase()
    .min(1, missing)
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.gov.uk');

/** A choice from a select or radios whose value is an id; checked against the database by the route. */
const chosenId = (missing: string) => z.string({ error: missing }).refine(isUuid, missing);

export const areaForm = z.object({
  name: text('Enter the name of the MARAC area', 120, 'The name must be 120 characters or fewer'),
});

export const agencyForm = z.object({
  name: text('Enter the name of the agency', 160, 'The name must be 160 characters or fewer'),
  kind: z.enum(keys<AgencyKind>(AGENCY_KINDS), { error: 'Select the kind of agency' }),
});

export const areaAgencyForm = z.object({ agencyId: chosenId('Select an agency') });

const role = z.enum(keys<AreaRole>(AREA_ROLES), { error: 'Select a role' });

export const membershipForm = z.object({ areaId: chosenId('Select an area'), role });

export const memberForm = z.object({ email: email('Enter their work email address'), role });

const NO_SERVICE_ROLE = 'none';

const inviteForm = z.object({
  displayName: text('Enter their full name', 120, 'Their name must be 120 characters or fewer'),
  email: email('Enter their work email address'),
  agencyId: z.union([z.literal(''), chosenId('Select their agency')], { error: 'Select their agency' }).default(''),
  globalRole: z.enum([NO_SERVICE_ROLE, ...keys<GlobalRole>(GLOBAL_ROLES)], {
    error: 'Select whether they have a service role',
  }),
});

export type InviteAnswers = {
  displayName: string;
  email: string;
  agencyId: string | null;
  globalRole: GlobalRole | null;
};

export const INVITE_FIELDS = ['displayName', 'email', 'agencyId', 'globalRole'] as const;

/**
 * The invitation form. Everyone who works on cases belongs to an agency; only
 * a service role (system administrator, information governance) may have none.
 * Every problem is reported at once, in the order of the fields on the page.
 */
export function parseInvite(body: unknown): FormResult<InviteAnswers> {
  const form = parseForm(inviteForm, body);
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  const raw = (body ?? {}) as Record<string, unknown>;
  const noAgency = raw.agencyId === undefined || raw.agencyId === '';
  const noServiceRole = raw.globalRole === undefined || raw.globalRole === NO_SERVICE_ROLE;
  if (!errors.agencyId && noAgency && noServiceRole) {
    errors.agencyId = 'Select their agency. Only someone with a service role may have no agency';
  }
  if (!form.ok || Object.keys(errors).length) return { ok: false, errors: inFieldOrder(errors, INVITE_FIELDS) };
  const { displayName, agencyId, globalRole } = form.data;
  return {
    ok: true,
    data: {
      displayName,
      email: form.data.email,
      agencyId: agencyId === '' ? null : agencyId.toLowerCase(),
      globalRole: globalRole === NO_SERVICE_ROLE ? null : globalRole,
    },
  };
}

/** The invitation answers as form fields, for the check-answers page and going back to change them. */
export function inviteFields(answers: InviteAnswers) {
  return {
    displayName: answers.displayName,
    email: answers.email,
    agencyId: answers.agencyId ?? '',
    globalRole: answers.globalRole ?? NO_SERVICE_ROLE,
  };
}

export function inFieldOrder(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  const ordered: FieldErrors = {};
  for (const field of fields) if (errors[field]) ordered[field] = errors[field];
  for (const [field, message] of Object.entries(errors)) ordered[field] ??= message;
  return ordered;
}

/** What was typed or chosen, as strings, to put back on the page beside the errors. */
export function submitted<F extends string>(body: unknown, fields: readonly F[]): Record<F, string> {
  const raw = (body ?? {}) as Record<string, unknown>;
  const values = {} as Record<F, string>;
  for (const field of fields) {
    const value = raw[field];
    values[field] = typeof value === 'string' ? value : '';
  }
  return values;
}

// The referral's question pages: each shows what is saved, and "Save and continue" (or "Save and come back
// later") saves it in one transaction. Invalid answers are shown again with every error, and nothing is saved.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import { areaRules } from '../area-rules.ts';
import { inRequest } from '../context.ts';
import type { ReferralDeps } from './deps.ts';
import { readForm, withDefaults, type Field, type FormValues } from './fields.ts';
import { isEditable, londonToday, ownReferral, pathId } from './own.ts';
import { referralPath, type PageContext, type QuestionPage } from './page.ts';
import { aboutYou } from './sections/about-you.ts';
import { consent } from './sections/consent.ts';
import { criteria } from './sections/criteria.ts';
import { narrative } from './sections/narrative.ts';
import { risk } from './sections/risk.ts';
import { safeContact } from './sections/safe-contact.ts';
import { victim } from './sections/victim.ts';

export const QUESTION_PAGES: QuestionPage[] = [aboutYou, victim, safeContact, consent, risk, criteria, narrative];

const own = { permission: 'referral.own' } as const;

/** Where the two buttons go: the next page, or the list of the referrer's referrals to come back later. */
export function afterSave(request: FastifyRequest, referralId: string, next: string): string {
  const action = (request.body as Record<string, unknown> | undefined)?.['action'];
  return action === 'later' ? '/referrals' : referralPath(referralId, next);
}

export async function questionRoutes(app: FastifyInstance, { db, clock, keyring }: ReferralDeps) {
  const render = (
    reply: FastifyReply,
    page: QuestionPage,
    referralId: string,
    fields: Field[],
    values: FormValues,
    errors?: FieldErrors,
  ) =>
    reply.code(errors ? 400 : 200).view('features/referrals/web/section.njk', {
      title: page.title,
      intro: page.intro,
      referralId,
      action: referralPath(referralId, page.slug),
      fields,
      values: withDefaults(fields, values),
      errors,
    });

  for (const page of QUESTION_PAGES) {
    const url = `/referrals/:referralId/${page.slug}`;

    app.get(url, { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) => {
      const id = pathId(request, 'referralId');
      const shown = await inRequest(db, request, keyring, async (trx, ctx) => {
        const view = await ownReferral(trx, ctx, id);
        if (!isEditable(view)) return null;
        const context: PageContext = { view, rules: await areaRules(trx, view.areaId), today: londonToday(clock()) };
        return { fields: page.fields(context), values: page.load(context) };
      });
      if (!shown) return reply.redirect(referralPath(id), 303);
      return render(reply, page, id, shown.fields, shown.values);
    });

    app.post(url, { config: { ...own, audit: 'referral.updated' } }, async (request, reply) => {
      const id = pathId(request, 'referralId');
      const outcome = await inRequest(db, request, keyring, async (trx, ctx) => {
        const view = await ownReferral(trx, ctx, id);
        if (!isEditable(view)) return { redirect: referralPath(id) } as const;
        const context: PageContext = { view, rules: await areaRules(trx, view.areaId), today: londonToday(clock()) };
        const fields = page.fields(context);
        const form = readForm(fields, request.body, context.today);
        // Checks across fields only where both fields were valid on their own.
        const errors: FieldErrors = { ...(page.check?.(form.data, context) ?? {}), ...form.errors };
        if (Object.keys(errors).length > 0) return { fields, values: form.values, errors: inPageOrder(errors, fields) };
        await page.save(trx, ctx, context, form.data);
        return { redirect: afterSave(request, id, page.next(form.data)) } as const;
      });
      if ('redirect' in outcome) return reply.redirect(outcome.redirect!, 303);
      return render(reply, page, id, outcome.fields, outcome.values, outcome.errors);
    });
  }
}

/** Errors in the order of the fields on the page, as the error summary lists them. */
export function inPageOrder(errors: FieldErrors, fields: readonly Field[]): FieldErrors {
  const ordered: FieldErrors = {};
  if (errors['form']) ordered['form'] = errors['form'];
  for (const f of fields) {
    for (const key of f.kind === 'date' ? [`${f.name}-day`, `${f.name}-month`, `${f.name}-year`] : [f.name]) {
      if (errors[key]) ordered[key] = errors[key];
    }
  }
  for (const [key, message] of Object.entries(errors)) ordered[key] ??= message;
  return ordered;
}

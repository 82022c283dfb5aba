// The risk checklist, a few questions a page, with the score worked out on the server from what is saved.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { areaRules } from '../area-rules.ts';
import { inRequest } from '../context.ts';
import { saveAnswers } from '../drafts.ts';
import type { ReferralView } from '../queries.ts';
import { CURRENT_CHECKLIST, getChecklist, type Checklist } from '../rules/checklist.ts';
import { scoreChecklist } from '../rules/scoring.ts';
import {
  checkQuestion,
  loadQuestion,
  mergeAnswers,
  pageCount,
  pageQuestions,
  questionFields,
} from './checklist-fields.ts';
import type { ReferralDeps } from './deps.ts';
import { readForm, withDefaults, type FormValues } from './fields.ts';
import { isEditable, londonToday, ownReferral, pathId } from './own.ts';
import { referralPath } from './page.ts';
import { afterSave, inPageOrder } from './question-routes.ts';

const own = { permission: 'referral.own' } as const;

/** The checklist the referral was started on, or the current one. */
const checklistOf = (view: ReferralView): Checklist =>
  (view.checklist && getChecklist('dash_ric', view.checklist.version)) || CURRENT_CHECKLIST;

function pageNumber(request: FastifyRequest, checklist: Checklist): number {
  const value = (request.params as { page?: string }).page ?? '';
  const n = /^[1-9][0-9]?$/.test(value) ? Number(value) : 0;
  if (n < 1 || n > pageCount(checklist)) throw notFound();
  return n;
}

export async function checklistRoutes(app: FastifyInstance, { db, clock, keyring }: ReferralDeps) {
  const url = '/referrals/:referralId/risk/checklist/:page';

  const render = (
    reply: FastifyReply,
    view: ReferralView,
    threshold: number,
    n: number,
    values: FormValues,
    errors?: FieldErrors,
  ) => {
    const checklist = checklistOf(view);
    const questions = pageQuestions(checklist, n);
    const groups = questions.map(questionFields);
    const saved = view.checklist?.answers ?? {};
    const onPage = new Set(questions.map((q) => q.id));
    const other = Object.fromEntries(Object.entries(saved).filter(([id]) => !onPage.has(id)));
    return reply.code(errors ? 400 : 200).view('features/referrals/web/checklist.njk', {
      title: 'Risk checklist',
      referralId: view.id,
      action: referralPath(view.id, `risk/checklist/${n}`),
      groups,
      fields: groups.flat(),
      values: withDefaults(groups.flat(), values),
      errors,
      score: scoreChecklist(saved, checklist),
      scoreOther: scoreChecklist(other, checklist),
      answered: Object.keys(saved).length,
      total: checklist.questions.length,
      threshold,
      first: questions[0]!.number,
      last: questions.at(-1)!.number,
      pageNumber: n,
      pages: pageCount(checklist),
    });
  };

  app.get(url, { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) => {
    const id = pathId(request, 'referralId');
    const shown = await inRequest(db, request, keyring, async (trx, ctx) => {
      const view = await ownReferral(trx, ctx, id);
      return { view, rules: await areaRules(trx, view.areaId) };
    });
    const { view, rules } = shown;
    if (!isEditable(view)) return reply.redirect(referralPath(id), 303);
    const checklist = checklistOf(view);
    const n = pageNumber(request, checklist);
    const values: FormValues = {};
    for (const q of pageQuestions(checklist, n)) Object.assign(values, loadQuestion(q, view.checklist?.answers[q.id]));
    return render(reply, view, rules.settings.visibleHighRiskThreshold, n, values);
  });

  app.post(url, { config: { ...own, audit: 'referral.updated' } }, async (request, reply) => {
    const id = pathId(request, 'referralId');
    const outcome = await inRequest(db, request, keyring, async (trx, ctx) => {
      const view = await ownReferral(trx, ctx, id);
      if (!isEditable(view)) return { redirect: referralPath(id) };
      const rules = await areaRules(trx, view.areaId);
      const checklist = checklistOf(view);
      const n = pageNumber(request, checklist);
      const questions = pageQuestions(checklist, n);
      const fields = questions.flatMap(questionFields);
      const form = readForm(fields, request.body, londonToday(clock()));
      const errors: FieldErrors = {};
      for (const q of questions) Object.assign(errors, checkQuestion(q, form.data));
      Object.assign(errors, form.errors);
      if (Object.keys(errors).length > 0) {
        return {
          view,
          n,
          threshold: rules.settings.visibleHighRiskThreshold,
          values: form.values,
          errors: inPageOrder(errors, fields),
        };
      }
      await saveAnswers(trx, ctx, id, {
        assessmentTool: 'dash_ric',
        assessmentResult: null,
        checklist: {
          tool: 'dash_ric',
          version: checklist.version,
          answers: mergeAnswers(view.checklist?.answers ?? {}, questions, form.data),
        },
      });
      const next = n < pageCount(checklist) ? `risk/checklist/${n + 1}` : 'criteria';
      return { redirect: afterSave(request, id, next) };
    });
    if ('redirect' in outcome) return reply.redirect(outcome.redirect!, 303);
    return render(reply, outcome.view, outcome.threshold, outcome.n, outcome.values, outcome.errors);
  });
}

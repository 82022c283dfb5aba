// Check your answers, submit, and the confirmation. The form carries a submission key made for it, so a double
// click or a resent form gives one referral and the same confirmation.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../../platform/http/errors.ts';
import { areaRules } from '../area-rules.ts';
import { inRequest } from '../context.ts';
import { ReferralNotSubmittable, submit } from '../submit.ts';
import { tasks, type Missing } from './completeness.ts';
import type { ReferralDeps } from './deps.ts';
import { isEditable, ownReferral, pathId } from './own.ts';
import { referralPath } from './page.ts';

const own = { permission: 'referral.own' } as const;

/** Where a rule's error field is answered. */
const FIELD_PAGES: Record<string, string> = {
  assessment: 'risk#assessmentTool',
  assessmentResult: 'risk#assessmentResult',
  'professionalJudgement.rationale': 'criteria#professionalJudgementRationale',
  recentIncidents: 'criteria#recentIncidents',
  managerName: 'about-you#managerName',
  managerSignOffDate: 'about-you#managerSignOffDate-day',
  victim: 'victim#givenNames',
};

export async function submitRoutes(app: FastifyInstance, { db, keyring }: ReferralDeps) {
  const check = async (
    reply: FastifyReply,
    request: Parameters<typeof inRequest>[1],
    id: string,
    problems?: { message: string | null; missing: Missing[] },
  ) => {
    const page = await inRequest(db, request, keyring, async (trx, ctx) => {
      const view = await ownReferral(trx, ctx, id);
      return { view, rules: await areaRules(trx, view.areaId) };
    });
    if (!isEditable(page.view)) return reply.redirect(referralPath(id), 303);
    const missing = problems?.missing ?? tasks(page.view, page.rules).flatMap((t) => t.missing);
    return reply.code(problems ? 422 : 200).view('features/referrals/web/check-answers.njk', {
      referral: page.view,
      changeLinks: true,
      missing,
      problem: problems?.message ?? null,
      errors: problems ? { submit: problems.message ?? '' } : undefined,
      resubmission: page.view.status === 'returned',
      submissionKey: randomBytes(24).toString('base64url'),
    });
  };

  app.get('/referrals/:referralId/check', { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) =>
    check(reply, request, pathId(request, 'referralId')),
  );

  app.post(
    '/referrals/:referralId/submit',
    { config: { ...own, audit: 'referral.submitted' } },
    async (request, reply) => {
      const id = pathId(request, 'referralId');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const key = typeof body['submissionKey'] === 'string' ? body['submissionKey'] : '';
      try {
        const outcome = await inRequest(db, request, keyring, async (trx, ctx) => {
          const view = await ownReferral(trx, ctx, id);
          const rules = await areaRules(trx, view.areaId);
          // Already submitted (a second click): submit() answers with the first outcome for the same key.
          if (isEditable(view)) {
            const missing = tasks(view, rules).flatMap((t) => t.missing);
            if (missing.length > 0) return { missing };
          }
          await submit(trx, ctx, id, key, rules.settings);
          return { done: true };
        });
        if ('missing' in outcome) {
          return check(reply, request, id, {
            message: 'Answer the questions listed before you submit the referral',
            missing: outcome.missing!,
          });
        }
        return reply.redirect(referralPath(id, 'confirmation'), 303);
      } catch (error) {
        if (error instanceof ReferralNotSubmittable) {
          const missing = error.errors.map((e) => ({
            message: e.message,
            href: referralPath(
              id,
              'questionId' in e
                ? `risk/checklist/${Math.floor((Number(e.questionId.slice(1)) - 1) / 6) + 1}#${e.questionId}-answer`
                : (FIELD_PAGES[e.field] ?? ''),
            ),
          }));
          return check(reply, request, id, { message: error.message, missing });
        }
        // A referral already submitted with another form: show where it stands.
        if (error instanceof AppError && error.status === 409) return reply.redirect(referralPath(id), 303);
        throw error;
      }
    },
  );

  app.get(
    '/referrals/:referralId/confirmation',
    { config: { ...own, audit: 'referral.viewed' } },
    async (request, reply) => {
      const id = pathId(request, 'referralId');
      const page = await inRequest(db, request, keyring, async (trx, ctx) => {
        const view = await ownReferral(trx, ctx, id);
        return { view, rules: await areaRules(trx, view.areaId) };
      });
      if (isEditable(page.view) || page.view.reference === null) return reply.redirect(referralPath(id), 303);
      return reply.view('features/referrals/web/confirmation.njk', {
        referral: page.view,
        areaName: page.rules.name,
      });
    },
  );
}

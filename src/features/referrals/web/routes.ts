// The referrer's journey: start, the task list, the question pages, check your answers, submit, confirmation and
// "Your referrals". Every route is the referrer's own (`referral.own`, checked per record) or the area's
// (`referral.create`).
import type { FastifyInstance } from 'fastify';
import { checklistRoutes } from './checklist-routes.ts';
import type { ReferralDeps } from './deps.ts';
import { overviewRoutes } from './overview-routes.ts';
import { peopleRoutes } from './people-routes.ts';
import { questionRoutes } from './question-routes.ts';
import { startRoutes } from './start-routes.ts';
import { submitRoutes } from './submit-routes.ts';

export async function referralRoutes(app: FastifyInstance, deps: ReferralDeps) {
  await startRoutes(app, deps);
  await overviewRoutes(app, deps);
  await questionRoutes(app, deps);
  await peopleRoutes(app, deps);
  await checklistRoutes(app, deps);
  await submitRoutes(app, deps);
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE_OPTIONS } from '../../platform/http/authentication.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { createSession, endSession, SESSION_COOKIE } from '../../platform/session/sessions.ts';

/**
 * Starts a new session for the user, ending the one the browser had: every
 * step up in trust (password given, second factor given) gets a fresh id, so
 * a token planted before sign-in (session fixation) is worthless after it.
 */
export async function startSession(
  trx: Tx,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  now: Date,
  mfaPassed: boolean,
) {
  if (request.session) await endSession(trx, request.session.id, 'replaced', now);
  const { token, sessionId } = await createSession(trx, userId, now, mfaPassed);
  reply.setCookie(SESSION_COOKIE, token, SESSION_COOKIE_OPTIONS);
  return sessionId;
}

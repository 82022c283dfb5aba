import type { FastifyRequest } from 'fastify';

/**
 * The banners shown after a change, named by a fixed word in the query string
 * (`?done=…`) so that no name or email address ever goes into a URL.
 */
const NOTICES = {
  'area-added': { text: 'Area added', type: 'success' },
  'area-renamed': { text: 'Area name changed', type: 'success' },
  'agency-joined': { text: 'Agency added to the area', type: 'success' },
  'agency-left': { text: 'Agency removed from the area', type: 'success' },
  'agency-added': { text: 'Agency added', type: 'success' },
  'agency-changed': { text: 'Agency changed', type: 'success' },
  invited: { text: 'Invitation sent', type: 'success' },
  resent: { text: 'A new invitation has been sent. Earlier invitation links no longer work.', type: 'success' },
  'not-sent': {
    text: 'The invitation email could not be sent. Try sending the invitation again.',
    type: 'important',
  },
  disabled: { text: 'Account disabled. They have been signed out everywhere.', type: 'success' },
  enabled: { text: 'Account enabled', type: 'success' },
  'enabled-invited': {
    text: 'Account enabled. They have not accepted their invitation yet: send them a new one.',
    type: 'success',
  },
  'role-added': { text: 'Role added', type: 'success' },
  'role-removed': { text: 'Role removed', type: 'success' },
  barred: { text: 'User barred from this case. They can no longer see it or hear about it.', type: 'success' },
  unbarred: { text: 'User no longer barred from this case', type: 'success' },
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeFrom(request: FastifyRequest) {
  const done = (request.query as { done?: unknown } | undefined)?.done;
  return typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done as NoticeKey] : undefined;
}

export const withNotice = (url: string, notice: NoticeKey) => `${url}?done=${notice}`;

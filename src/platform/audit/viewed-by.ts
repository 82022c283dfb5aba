import type { Kysely } from 'kysely';
import { AREA_ROLES, GLOBAL_ROLES } from '../access/actor.ts';
import type { Schema } from '../db/schema.ts';
import { viewersOf, type ViewedRecord } from './queries.ts';

/** A time as a page shows it: the instant for `<time datetime>`, and words in UK time. */
export type DisplayTime = { iso: string; text: string };

/** One reader of a record, ready to display: names resolved, times in UK time. */
export type RecordViewer = {
  userId: string;
  name: string;
  agencyName: string | null;
  role: string | null;
  firstViewed: DisplayTime;
  lastViewed: DisplayTime;
  views: number;
};

// UK time with its zone (GMT or BST), so the repeated hour each October is unambiguous.
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** "1 May 2025, 14:03:05 BST": an instant as people in the UK read it. */
export function londonTime(instant: Date): DisplayTime {
  return { iso: instant.toISOString(), text: LONDON.format(instant) };
}

/** The words for a role code as recorded in the audit trail; an unknown code is shown as it is. */
export function roleLabel(code: string | null): string | null {
  if (code === null) return null;
  if (Object.hasOwn(GLOBAL_ROLES, code)) return GLOBAL_ROLES[code as keyof typeof GLOBAL_ROLES];
  if (Object.hasOwn(AREA_ROLES, code)) return AREA_ROLES[code as keyof typeof AREA_ROLES];
  return code;
}

export const UNKNOWN_USER = 'Unknown user';
export const UNKNOWN_AGENCY = 'Unknown agency';

/**
 * The display names of users and agencies named by audit rows, by id. Reads
 * one after the other, because a transaction has one connection. Ids that
 * match nothing are simply absent.
 */
export async function displayNames(
  db: Kysely<Schema>,
  userIds: readonly (string | null)[],
  agencyIds: readonly (string | null)[],
): Promise<{ users: Map<string, string>; agencies: Map<string, string> }> {
  const wantedUsers = [...new Set(userIds.filter((id) => id !== null))];
  const wantedAgencies = [...new Set(agencyIds.filter((id) => id !== null))];
  const users = wantedUsers.length
    ? await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', wantedUsers).execute()
    : [];
  const agencies = wantedAgencies.length
    ? await db.selectFrom('agency').select(['id', 'name']).where('id', 'in', wantedAgencies).execute()
    : [];
  return {
    users: new Map(users.map((u) => [u.id, u.display_name])),
    agencies: new Map(agencies.map((a) => [a.id, a.name])),
  };
}

/**
 * Who has read a record — one subject, or anything within a case — for the
 * "who has viewed this record" panel (platform/views/viewed-by.njk): each
 * reader's name, agency and role at the time, first and last read and how
 * many, most recent reader first. Built on the audit trail, so it shows every
 * successful read, whoever made it. Pass the transaction that reads the
 * record, so the panel and the page agree.
 */
export async function viewedBy(db: Kysely<Schema>, record: ViewedRecord): Promise<RecordViewer[]> {
  const viewers = await viewersOf(db, record);
  if (viewers.length === 0) return [];
  const { users, agencies } = await displayNames(
    db,
    viewers.map((v) => v.userId),
    viewers.map((v) => v.agencyId),
  );
  return viewers.map((v) => ({
    userId: v.userId,
    name: users.get(v.userId) ?? UNKNOWN_USER,
    agencyName: v.agencyId ? (agencies.get(v.agencyId) ?? UNKNOWN_AGENCY) : null,
    role: roleLabel(v.role),
    firstViewed: londonTime(v.firstViewedAt),
    lastViewed: londonTime(v.lastViewedAt),
    views: v.views,
  }));
}

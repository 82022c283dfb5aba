import { randomBytes } from 'node:crypto';
import type { AreaRole, GlobalRole } from '../../platform/access/actor.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { hashPassword } from '../../platform/identity/passwords.ts';
import { generateTotpSecret } from '../../platform/identity/totp.ts';
import { demoId } from './random.ts';

/** A demo user's sign-in details, printed once at seeding: made at random, so never well known. */
export type DemoCredential = { email: string; name: string; role: string; password: string; totpKey: string };

type DemoUser = {
  key: string;
  name: string;
  agencyKey?: string;
  roles?: AreaRole[];
  globalRole?: GlobalRole;
};

// Who a MARAC has, by agency (keys from seed.ts's agency list). Names are invented.
const AREA_USERS: (Omit<DemoUser, 'name'> & { names: [string, string] })[] = [
  { key: 'coordinator', names: ['Morgan Ashdown', 'Kai Whitlow'], agencyKey: 'idva', roles: ['coordinator'] },
  { key: 'chair', names: ['DI Robin Kestle', 'DI Hollis Grange'], agencyKey: 'police', roles: ['chair'] },
  {
    key: 'police',
    names: ['DS Jordan Pell', 'DS Rowan Ferriby'],
    agencyKey: 'police',
    roles: ['agency_representative'],
  },
  { key: 'idva', names: ['Sam Orrin', 'Frankie Dace'], agencyKey: 'idva', roles: ['idva', 'referrer'] },
  { key: 'childrens', names: ['Casey Brandt', 'Jules Penmarr'], agencyKey: 'csc', roles: ['agency_representative'] },
  {
    key: 'health',
    names: ['Dr Avery Lund', 'Dr Noor Castell'],
    agencyKey: 'gp-a',
    roles: ['agency_representative', 'referrer'],
  },
  { key: 'housing', names: ['Taylor Quill', 'Remy Oakhurst'], agencyKey: 'housing', roles: ['agency_representative'] },
  { key: 'referrer', names: ['Riley Fenwick', 'Ash Talbot'], agencyKey: 'gp-b', roles: ['referrer'] },
  { key: 'analyst', names: ['Drew Hallam', 'Ellis Marden'], agencyKey: 'police', roles: ['analyst'] },
];
const SERVICE_USERS: DemoUser[] = [
  { key: 'admin', name: 'Pat Ellery', globalRole: 'system_admin' },
  { key: 'ig', name: 'Lee Marsh', globalRole: 'information_governance' },
];

const ROLE_WORDS: Record<string, string> = {
  coordinator: 'Coordinator',
  chair: 'Chair',
  agency_representative: 'Agency representative',
  idva: 'IDVA',
  referrer: 'Referrer',
  analyst: 'Analyst',
  system_admin: 'System administrator',
  information_governance: 'Information governance',
};

/** A random passphrase-like password: 4 groups of 5 letters, about 94 bits. */
function randomPassword() {
  const letters = 'abcdefghijkmnopqrstuvwxyz';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => letters[b % letters.length]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/**
 * Seeds the demo's users: every role in each area, plus the system
 * administrator and an information-governance officer. Ids and names follow
 * the seed; passwords and authenticator keys are random every time.
 */
export async function seedDemoUsers(
  trx: Tx,
  seed: number,
  areas: { id: string; place: string; slug: string; agencyIds: Record<string, string> }[],
): Promise<DemoCredential[]> {
  const credentials: DemoCredential[] = [];
  const add = async (user: DemoUser, email: string, agencyId: string | null, areaId?: string) => {
    const password = randomPassword();
    const totpKey = generateTotpSecret();
    const id = demoId(seed, `user:${email}`);
    await trx
      .insertInto('app_user')
      .values({
        id,
        email,
        display_name: user.name,
        agency_id: agencyId,
        global_role: user.globalRole ?? null,
        status: 'active',
        password_hash: await hashPassword(password),
        totp_secret: totpKey,
        mfa_enrolled_at: new Date(),
      })
      .execute();
    if (areaId && user.roles?.length) {
      await trx
        .insertInto('membership')
        .values(user.roles.map((role) => ({ user_id: id, area_id: areaId, role })))
        .execute();
    }
    const roles = user.globalRole ? [user.globalRole] : (user.roles ?? []);
    credentials.push({
      email,
      name: user.name,
      role: roles.map((r) => ROLE_WORDS[r]).join(' and '),
      password,
      totpKey,
    });
  };
  for (const user of SERVICE_USERS) await add(user, `${user.key}@demo.open-marac.invalid`, null);
  for (const [index, area] of areas.entries()) {
    for (const { names, ...user } of AREA_USERS) {
      const email = `${user.key}.${area.slug}@demo.open-marac.invalid`;
      await add({ ...user, name: names[index % 2]! }, email, area.agencyIds[user.agencyKey!]!, area.id);
    }
  }
  return credentials;
}

/** The credentials as a text table for the console and the demo credentials file. */
export function formatCredentials(credentials: DemoCredential[]) {
  const lines = credentials.map((c) => `${c.email.padEnd(48)} ${c.password}   ${c.totpKey}   ${c.role}`);
  return [
    'Open MARAC demo users (fictional). Sign in with the email and password, then the 6-digit code from an',
    'authenticator app set up with the key, or from: npx marac totp-code <key>',
    '',
    `${'Email'.padEnd(48)} ${'Password'.padEnd(23)}   ${'Authenticator key'.padEnd(32)}   Role`,
    ...lines,
    '',
  ].join('\n');
}

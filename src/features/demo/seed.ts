import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { AgencyKind, Schema } from '../../platform/db/schema.ts';
import { demoId, seededRandom } from './random.ts';
import { seedDemoReferrals } from './referrals.ts';
import { seedDemoUsers, type DemoCredential } from './users.ts';

// Invented places, so no demo record can be mistaken for a real MARAC.
const PLACES = ['Brackenford', 'Kestrel Vale', 'Harrowmere', 'Wyndham Moor', 'Larkspur Bay', 'Thistledown'] as const;
const PRACTICES = ['Riverside', 'Parkview', 'Hillcrest', 'Millbrook', 'Orchard Lane', 'Station Road'] as const;
const LANDLORDS = ['Greenway Homes', 'Beacon Housing', 'Hearthstone Living', 'Meadowbank Housing'] as const;

/** The agencies a typical MARAC invites, one of each kind (primary care twice). */
function agenciesFor(
  place: string,
  random: ReturnType<typeof seededRandom>,
): { key: string; name: string; kind: AgencyKind }[] {
  const [practiceA, practiceB] = random.sample(PRACTICES, 2);
  return [
    { key: 'police', kind: 'police', name: `${place} Police` },
    { key: 'idva', kind: 'idva', name: `${place} IDVA Service` },
    { key: 'csc', kind: 'childrens_social_care', name: `${place} Children's Services` },
    { key: 'asc', kind: 'adult_social_care', name: `${place} Adult Social Care` },
    { key: 'gp-a', kind: 'primary_care', name: `${practiceA} Medical Practice, ${place}` },
    { key: 'gp-b', kind: 'primary_care', name: `${practiceB} Surgery, ${place}` },
    { key: 'acute', kind: 'acute_health', name: `${place} General Hospital` },
    { key: 'mh', kind: 'mental_health', name: `${place} Mental Health Service` },
    { key: 'sm', kind: 'substance_misuse', name: `${place} Drug and Alcohol Recovery Service` },
    { key: 'housing', kind: 'housing', name: `${random.pick(LANDLORDS)} (${place})` },
    { key: 'probation', kind: 'probation', name: `${place} Probation Delivery Unit` },
    { key: 'education', kind: 'education', name: `${place} Schools Safeguarding Team` },
    { key: 'specialist', kind: 'specialist_voluntary', name: `${place} Black and Minoritised Women's Service` },
  ];
}

export type DemoSummary = { areas: { id: string; name: string; agencies: number }[]; credentials: DemoCredential[] };

export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

/** True when the database holds no areas yet, so a demo may be seeded into it. */
export async function isEmpty(db: Kysely<Schema>) {
  return !(await db.selectFrom('marac_area').select('id').limit(1).executeTakeFirst());
}

/**
 * Seeds the demo: two MARAC areas with the agencies that take part in each,
 * a user for every role (see users.ts), and — given the keys that seal case
 * data — referrals in every status (see referrals.ts).
 * The same seed gives the same names and ids. Refuses a database that already
 * holds data, so it can never mix fictional records into real ones.
 */
export async function seedDemo(db: Kysely<Schema>, seed: number, keyring?: Keyring): Promise<DemoSummary> {
  const random = seededRandom(seed);
  const places = random.sample(PLACES, 2);
  const summary = await db.transaction().execute(async (trx) => {
    if (!(await isEmpty(trx)))
      throw new DemoSeedError('The database already holds data; the demo is only seeded into an empty one.');
    const summary: DemoSummary = { areas: [], credentials: [] };
    const forUsers: Parameters<typeof seedDemoUsers>[2] = [];
    for (const place of places) {
      const areaId = demoId(seed, `area:${place}`);
      await trx
        .insertInto('marac_area')
        .values({ id: areaId, name: `${place} MARAC` })
        .execute();
      const agencies = agenciesFor(place, random).map((a) => ({
        id: demoId(seed, `agency:${place}:${a.key}`),
        name: a.name,
        kind: a.kind,
      }));
      await trx.insertInto('agency').values(agencies).execute();
      await trx
        .insertInto('area_agency')
        .values(agencies.map((a) => ({ area_id: areaId, agency_id: a.id })))
        .execute();
      summary.areas.push({ id: areaId, name: `${place} MARAC`, agencies: agencies.length });
      forUsers.push({
        id: areaId,
        place,
        slug: place.toLowerCase().replace(/[^a-z]+/g, '-'),
        agencyIds: Object.fromEntries(
          agenciesFor(place, seededRandom(0)).map((a) => [a.key, demoId(seed, `agency:${place}:${a.key}`)]),
        ),
      });
    }
    summary.credentials = await seedDemoUsers(trx, seed, forUsers);
    return summary;
  });
  // Referrals need the keys that seal their fields; they are made afterwards, as the demo users, one at a time.
  if (keyring) {
    const [first, second] = places.map((place) => {
      const slug = place.toLowerCase().replace(/[^a-z]+/g, '-');
      const userIds = Object.fromEntries(
        ['referrer', 'health', 'idva', 'coordinator'].map((key) => [
          key,
          demoId(seed, `user:${key}.${slug}@demo.open-marac.invalid`),
        ]),
      );
      return { id: demoId(seed, `area:${place}`), userIds };
    });
    await seedDemoReferrals(db, keyring, [first!, second!]);
  }
  return summary;
}

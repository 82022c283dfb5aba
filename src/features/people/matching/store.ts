import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../../../platform/db/schema.ts';
import { matchingColumns, type PersonNames } from './columns.ts';

/** A person loaded in bulk (the import command, the benchmark): names, an optional external id, no case. */
export type ImportedPerson = PersonNames & { externalId?: string | null; aliases?: readonly string[] };

/**
 * Writes people into an area, each its own identity, in batches; returns their ids in order. Imported people belong
 * to no case: row-level security shows them to the area's coordinators (policy person_visible), and the candidate
 * search finds them for anyone allowed to match in the area. Run it inside the caller's transaction so a failure
 * leaves nothing behind.
 */
export async function insertPeople(
  db: Kysely<Schema>,
  areaId: string,
  people: readonly ImportedPerson[],
  onProgress?: (done: number) => void,
  batchSize = 500,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < people.length; start += batchSize) {
    const rows = people.slice(start, start + batchSize).map((person) => {
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        area_id: areaId,
        identity_id: id,
        external_id: person.externalId ?? null,
        given_names: person.givenNames,
        family_name: person.familyName,
        aliases: [...(person.aliases ?? [])],
        date_of_birth: person.dateOfBirth,
        ...matchingColumns(person),
      };
    });
    await db.insertInto('person').values(rows).execute();
    onProgress?.(Math.min(start + batchSize, people.length));
  }
  return ids;
}

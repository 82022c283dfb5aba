import type { Kysely } from 'kysely';
import { AGENCY_KINDS, type Schema } from '../../platform/db/schema.ts';

export type AreaSummary = { id: string; name: string; agencies: { name: string; kind: string }[] };

/** The MARAC areas on this installation and the agencies taking part: reference data, no personal data. */
export async function listAreasWithAgencies(db: Kysely<Schema>): Promise<AreaSummary[]> {
  const rows = await db
    .selectFrom('marac_area as area')
    .leftJoin('area_agency as aa', 'aa.area_id', 'area.id')
    .leftJoin('agency', 'agency.id', 'aa.agency_id')
    .select(['area.id as areaId', 'area.name as areaName', 'agency.name as agencyName', 'agency.kind as agencyKind'])
    .orderBy('area.name')
    .orderBy('agency.name')
    .execute();
  const areas = new Map<string, AreaSummary>();
  for (const row of rows) {
    const area = areas.get(row.areaId) ?? { id: row.areaId, name: row.areaName, agencies: [] };
    areas.set(row.areaId, area);
    if (row.agencyName && row.agencyKind) {
      area.agencies.push({ name: row.agencyName, kind: AGENCY_KINDS[row.agencyKind] });
    }
  }
  return [...areas.values()];
}

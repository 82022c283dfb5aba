import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Keep in step with migrations/. */
export type Schema = {
  schema_migration: SchemaMigrationTable;
  marac_area: MaracAreaTable;
  agency: AgencyTable;
  area_agency: AreaAgencyTable;
};

type CreatedAt = ColumnType<Date, never, never>;

export type SchemaMigrationTable = {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
};

export type MaracAreaTable = {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
};

export const AGENCY_KINDS = {
  police: 'Police',
  idva: 'IDVA / domestic abuse service',
  childrens_social_care: "Children's social care",
  adult_social_care: 'Adult social care',
  primary_care: 'Primary care',
  acute_health: 'Acute health',
  mental_health: 'Mental health',
  substance_misuse: 'Substance misuse',
  housing: 'Housing / social landlord',
  probation: 'Probation',
  education: 'Education',
  specialist_voluntary: 'Specialist voluntary service',
  other: 'Other',
} as const;

export type AgencyKind = keyof typeof AGENCY_KINDS;

export type AgencyTable = {
  id: Generated<string>;
  name: string;
  kind: AgencyKind;
  created_at: CreatedAt;
};

export type AreaAgencyTable = {
  area_id: string;
  agency_id: string;
};

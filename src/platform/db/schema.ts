import type { ColumnType, Generated } from 'kysely';
import type { AreaRole, GlobalRole } from '../access/actor.ts';
import type { AuditEventTable } from '../audit/schema.ts';
import type { CaseDataKeyTable } from '../crypto/schema.ts';

/** Table types for Kysely. Keep in step with migrations/. */
export type Schema = {
  schema_migration: SchemaMigrationTable;
  marac_area: MaracAreaTable;
  agency: AgencyTable;
  area_agency: AreaAgencyTable;
  audit_event: AuditEventTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  user_session: UserSessionTable;
  one_time_link: OneTimeLinkTable;
  recovery_code: RecoveryCodeTable;
  sign_in_failure: SignInFailureTable;
  marac_case: MaracCaseTable;
  case_agency: CaseAgencyTable;
  case_exclusion: CaseExclusionTable;
  case_data_key: CaseDataKeyTable;
  referral: ReferralTable;
  referral_counter: ReferralCounterTable;
  person: PersonTable;
  case_person: CasePersonTable;
  referral_event: ReferralEventTable;
  referral_transfer: ReferralTransferTable;
  notification: NotificationTable;
  person_link: PersonLinkTable;
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
  requires_manager_sign_off: ColumnType<boolean, boolean | undefined, boolean>;
  /** Overrides of the national referral criteria (src/features/referrals/rules/settings.ts). */
  criteria_settings: ColumnType<Record<string, unknown>, string | undefined, string>;
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

export type UserStatus = 'invited' | 'active' | 'disabled';

export type AppUserTable = {
  id: Generated<string>;
  email: string;
  display_name: string;
  agency_id: string | null;
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>;
  global_role: GlobalRole | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  mfa_enrolled_at: Date | null;
  locked_until: Date | null;
  created_at: CreatedAt;
};

export type MembershipTable = {
  user_id: string;
  area_id: string;
  role: AreaRole;
  created_at: CreatedAt;
};

export type SessionEndReason = 'sign_out' | 'sign_out_everywhere' | 'idle' | 'absolute' | 'disabled' | 'replaced';

export type UserSessionTable = {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  mfa_passed: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
  ended_at: Date | null;
  ended_reason: SessionEndReason | null;
};

export type OneTimeLinkTable = {
  id: Generated<string>;
  token_hash: string;
  purpose: 'invitation' | 'password_reset';
  user_id: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  used_at: Date | null;
};

export type RecoveryCodeTable = {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
};

export type SignInFailureTable = {
  user_id: string;
  failed_at: ColumnType<Date, Date | undefined, never>;
};

export type MaracCaseTable = {
  id: Generated<string>;
  area_id: string;
  created_at: CreatedAt;
};

export type CaseAgencyTable = {
  case_id: string;
  agency_id: string;
  reason: 'meeting_invitation' | 'action_owner' | 'referrer';
};

export type CaseExclusionTable = {
  case_id: string;
  user_id: string;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
};

export type ReferralStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'rejected' | 'transferred';

export type ReferralTable = {
  id: string;
  area_id: string;
  case_id: string;
  referrer_user_id: string;
  referrer_agency_id: string | null;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  reference: string | null;
  submitted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  is_emergency: ColumnType<boolean, boolean | undefined, boolean>;
  submission_key: string | null;
  /** Non-sensitive answers only. */
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Sealed fields (src/platform/crypto): ciphertext only. */
  victim_address: string | null;
  victim_location: string | null;
  safe_contact: string | null;
  narrative: string | null;
  professional_judgement_rationale: string | null;
  checklist_notes: string | null;
  checklist_tool: string | null;
  checklist_version: string | null;
  checklist_answers: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  score: number | null;
  criteria_met: ColumnType<string[], string[] | undefined, string[]>;
  repeat_of_referral_id: string | null;
  repeat_definition_version: string | null;
  /** Sealed JSON: the referral's other free text (src/features/referrals/answers.ts referralDetailsSchema). */
  details: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type ReferralCounterTable = {
  prefix: string;
  year: number;
  last: number;
};

export type PersonTable = {
  id: string;
  area_id: string;
  identity_id: string;
  given_names: string;
  family_name: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  /** 'YYYY-MM-DD' */
  date_of_birth: string | null;
  given_names_normalised: string;
  family_name_normalised: string;
  /** Codes, yes/no, dates and counts only (src/features/referrals/person-details.ts). */
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Sealed JSON: address, school, care and risk details. */
  details: string | null;
  created_at: CreatedAt;
  // Matching columns (migration 0011), written by features/people/matching/columns.ts.
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  previous_surnames: ColumnType<string[], string[] | undefined, string[]>;
  full_name_normalised: ColumnType<string, string | undefined, string>;
  forename_canonical: ColumnType<string[], string[] | undefined, string[]>;
  given_names_metaphone: ColumnType<string[], string[] | undefined, string[]>;
  family_name_metaphone: ColumnType<string[], string[] | undefined, string[]>;
  given_names_dm: ColumnType<string[], string[] | undefined, string[]>;
  family_name_dm: ColumnType<string[], string[] | undefined, string[]>;
  dob_year: ColumnType<number | null, number | null | undefined, number | null>;
  dob_month: ColumnType<number | null, number | null | undefined, number | null>;
  dob_day: ColumnType<number | null, number | null | undefined, number | null>;
  postcode_outcode: ColumnType<string | null, string | null | undefined, string | null>;
  /** Keyed hash of the full postcode (migration 0014, features/people/matching/postcode-key.ts). */
  postcode_key: ColumnType<string | null, string | null | undefined, string | null>;
  other_surnames_normalised: ColumnType<string[], string[] | undefined, string[]>;
};

export type CasePersonRole = 'victim' | 'perpetrator' | 'child' | 'household_member';

export type CasePersonTable = {
  case_id: string;
  person_id: string;
  role: CasePersonRole;
  relationship: string | null;
};

export type ReferralEventKind =
  'submitted' | 'information_requested' | 'resubmitted' | 'accepted' | 'rejected' | 'marked_emergency' | 'transferred';

export type ReferralEventTable = {
  id: string;
  referral_id: string;
  at: ColumnType<Date, Date | undefined, never>;
  actor_user_id: string | null;
  kind: ReferralEventKind;
  /** Sealed (src/platform/crypto). */
  message: string | null;
};

/** A MARAC-to-MARAC transfer (migrations/0010_triage.sql), written only by marac_transfer_referral(). */
export type ReferralTransferTable = {
  id: Generated<string>;
  referral_id: string;
  from_area_id: string;
  to_area_id: string;
  at: CreatedAt;
  by_user_id: string;
};

export type NotificationKind =
  | 'referral_submitted'
  | 'referral_resubmitted'
  | 'information_requested'
  | 'referral_accepted'
  | 'referral_rejected'
  | 'referral_transferred_in';

export type NotificationTable = {
  id: string;
  user_id: string;
  area_id: string;
  kind: NotificationKind;
  referral_id: string;
  created_at: CreatedAt;
  read_at: Date | null;
};

export type PersonLinkDecision = 'same' | 'not_same' | 'new';

export type PersonLinkTable = {
  id: string;
  referral_id: string;
  person_id: string;
  decision: PersonLinkDecision;
  candidate_person_id: string | null;
  previous_identity_id: string;
  moved_person_ids: ColumnType<string[], string[] | undefined, never>;
  decided_by: string | null;
  decided_at: ColumnType<Date, Date | undefined, never>;
  undone_by: string | null;
  undone_at: Date | null;
};

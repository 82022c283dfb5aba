import type { Tx } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import { resolveCriteriaSettings, type CriteriaSettings } from './rules/settings.ts';

export type AreaRules = {
  name: string;
  settings: CriteriaSettings;
  /** The referrer's line manager must sign a referral off before it is submitted. */
  requiresManagerSignOff: boolean;
};

/** An area's referral rules: the national criteria with its overrides, and whether it requires manager sign-off. */
export async function areaRules(trx: Tx, areaId: string): Promise<AreaRules> {
  const area = await trx
    .selectFrom('marac_area')
    .select(['name', 'criteria_settings', 'requires_manager_sign_off'])
    .where('id', '=', areaId)
    .executeTakeFirst();
  if (!area) throw notFound();
  return {
    name: area.name,
    settings: resolveCriteriaSettings(area.criteria_settings),
    requiresManagerSignOff: area.requires_manager_sign_off,
  };
}

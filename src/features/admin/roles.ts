import { AREA_ROLES } from '../../platform/access/actor.ts';

/** The roles in an area, as radio choices. */
export const roleChoices = Object.entries(AREA_ROLES).map(([value, text]) => ({ value, text }));

/** Service roles never see case data, so they are kept apart from the roles in an area that do. */
export const SERVICE_ROLE_HOLDER =
  'This person holds a service role (system administrator or information governance), which cannot be combined with a role in a MARAC area';

export const ALREADY_HOLDS = 'They already have this role in this area';

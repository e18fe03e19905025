/*
 * Household categories (issue 18, API.md "Households: categories and relief"): the seven kinds of households the
 * township asks villages to look after and report on (七类人员), and party-member households. 特困 and 五保 are
 * kept apart: older records say 五保, newer ones 特困供养, and a village reports them as it keeps them.
 * A plain list (no zod), so the kiosk's search can offer it without loading the schemas.
 */
export const HOUSEHOLD_TAGS = [
  '低保',
  '特困',
  '五保',
  '重病',
  '残疾',
  '留守老人',
  '留守儿童',
  '零就业',
  '党员户',
] as const
export type HouseholdTag = (typeof HOUSEHOLD_TAGS)[number]

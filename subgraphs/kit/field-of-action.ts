import { registerLabelledEnum } from './labelled-enum.js';

/** The programme's fields of action (Handlungsfelder), shared by alliances and projects. */
export enum FieldOfAction {
  WORK_LIFE_BALANCE = 'WORK_LIFE_BALANCE',
  CHILDCARE = 'CHILDCARE',
  CARE = 'CARE',
  FAMILY_EDUCATION = 'FAMILY_EDUCATION',
  HEALTH = 'HEALTH',
  LIVING_ENVIRONMENT = 'LIVING_ENVIRONMENT',
  SCHOOL_AND_EDUCATION = 'SCHOOL_AND_EDUCATION',
  GENERATIONS = 'GENERATIONS',
  INTEGRATION = 'INTEGRATION',
  POVERTY_PREVENTION = 'POVERTY_PREVENTION',
  CIVIC_ENGAGEMENT = 'CIVIC_ENGAGEMENT',
  FAMILY_SERVICES = 'FAMILY_SERVICES',
  FAMILY_FRIENDLY_EMPLOYERS = 'FAMILY_FRIENDLY_EMPLOYERS',
}

/** German labels as the programme uses them. */
export const FIELD_OF_ACTION_LABELS: Record<FieldOfAction, string> = {
  WORK_LIFE_BALANCE: 'Vereinbarkeit von Familie und Beruf',
  CHILDCARE: 'Kinderbetreuung',
  CARE: 'Pflege',
  FAMILY_EDUCATION: 'Familienbildung / Elternkompetenz',
  HEALTH: 'Gesundheit',
  LIVING_ENVIRONMENT: 'Wohnumfeld',
  SCHOOL_AND_EDUCATION: 'Schule und Bildung',
  GENERATIONS: 'Generationen',
  INTEGRATION: 'Integration',
  POVERTY_PREVENTION: 'Armutsprävention',
  CIVIC_ENGAGEMENT: 'Engagement',
  FAMILY_SERVICES: 'Servicestellen für Familien',
  FAMILY_FRIENDLY_EMPLOYERS: 'Familienfreundliche Unternehmen',
};

registerLabelledEnum(FieldOfAction, 'FieldOfAction',
  'A field of action (Handlungsfeld) of the Lokale Bündnisse für Familie programme.', FIELD_OF_ACTION_LABELS);

/** The SQL function search columns read fields of action through, as their German labels. */
export const FIELD_OF_ACTION_LABELS_FUNCTION = 'hub_field_of_action_labels';

/**
 * Creates (or replaces) that function. It is immutable, as a generated column requires: a label
 * changed later needs a migration that runs this again and rewrites the columns that use it
 * (PostgreSQL does not recompute stored columns when a function changes).
 */
export function fieldOfActionLabelsFunctionSql(): string {
  const cases = Object.entries(FIELD_OF_ACTION_LABELS)
    .map(([value, label]) => `when '${value}' then '${label.replace(/'/g, "''")}'`).join(' ');
  return `create or replace function ${FIELD_OF_ACTION_LABELS_FUNCTION}(fields text[]) returns text `
    + `language sql immutable parallel safe `
    + `return array_to_string(array(select case field ${cases} end from unnest(fields) as field), ' ')`;
}

import { registerLabelledEnum } from '../kit/index.js';

export enum LegalForm {
  INFORMAL_CIRCLE = 'INFORMAL_CIRCLE',
  WORKING_GROUP = 'WORKING_GROUP',
  REGISTERED_ASSOCIATION = 'REGISTERED_ASSOCIATION',
  OTHER = 'OTHER',
}

registerLabelledEnum(LegalForm, 'LegalForm', 'How an alliance is constituted.', {
  INFORMAL_CIRCLE: 'Informeller Zusammenschluss',
  WORKING_GROUP: 'Arbeitsgemeinschaft',
  REGISTERED_ASSOCIATION: 'Eingetragener Verein (e. V.)',
  OTHER: 'Andere Rechtsform',
});

export enum OrganizationKind {
  MUNICIPALITY = 'MUNICIPALITY',
  COMPANY = 'COMPANY',
  EMPLOYMENT_AGENCY = 'EMPLOYMENT_AGENCY',
  JOB_CENTRE = 'JOB_CENTRE',
  CHAMBER = 'CHAMBER',
  CHURCH = 'CHURCH',
  WELFARE_ASSOCIATION = 'WELFARE_ASSOCIATION',
  ASSOCIATION = 'ASSOCIATION',
  EMPLOYERS_ASSOCIATION = 'EMPLOYERS_ASSOCIATION',
  FOUNDATION = 'FOUNDATION',
  UNIVERSITY = 'UNIVERSITY',
  HOSPITAL = 'HOSPITAL',
  MINISTRY = 'MINISTRY',
  PUBLIC_BODY = 'PUBLIC_BODY',
  RESEARCH_INSTITUTE = 'RESEARCH_INSTITUTE',
  CHILDCARE_PROVIDER = 'CHILDCARE_PROVIDER',
  COUNSELLING_SERVICE = 'COUNSELLING_SERVICE',
  FAMILY_CENTRE = 'FAMILY_CENTRE',
  OTHER = 'OTHER',
}

registerLabelledEnum(OrganizationKind, 'OrganizationKind', 'What sort of organisation a member or partner is.', {
  MUNICIPALITY: 'Kommune / Gebietskörperschaft',
  COMPANY: 'Unternehmen',
  EMPLOYMENT_AGENCY: 'Agentur für Arbeit',
  JOB_CENTRE: 'Jobcenter',
  CHAMBER: 'Kammer (IHK, HWK) oder Kreishandwerkerschaft',
  CHURCH: 'Kirche / Kirchengemeinde',
  WELFARE_ASSOCIATION: 'Wohlfahrtsverband',
  ASSOCIATION: 'Verein oder Verband',
  EMPLOYERS_ASSOCIATION: 'Arbeitgeber- oder Unternehmerverband',
  FOUNDATION: 'Stiftung',
  UNIVERSITY: 'Hochschule',
  HOSPITAL: 'Krankenhaus / Klinikum',
  MINISTRY: 'Ministerium',
  PUBLIC_BODY: 'Öffentliche Stelle (Verband, Servicestelle)',
  RESEARCH_INSTITUTE: 'Forschungseinrichtung',
  CHILDCARE_PROVIDER: 'Träger der Kinderbetreuung',
  COUNSELLING_SERVICE: 'Beratungsstelle',
  FAMILY_CENTRE: 'Familienzentrum',
  OTHER: 'Sonstige',
});

import { registerEnumType } from 'type-graphql';

export enum LegalForm {
  INFORMAL_CIRCLE = 'INFORMAL_CIRCLE',
  WORKING_GROUP = 'WORKING_GROUP',
  REGISTERED_ASSOCIATION = 'REGISTERED_ASSOCIATION',
  OTHER = 'OTHER',
}

registerEnumType(LegalForm, {
  name: 'LegalForm',
  description: 'How an alliance is constituted.',
  valuesConfig: {
    INFORMAL_CIRCLE: { description: 'Informeller Zusammenschluss' },
    WORKING_GROUP: { description: 'Arbeitsgemeinschaft' },
    REGISTERED_ASSOCIATION: { description: 'Eingetragener Verein (e. V.)' },
    OTHER: { description: 'Andere Rechtsform' },
  },
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

registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'What sort of organisation a member or partner is.',
  valuesConfig: {
    MUNICIPALITY: { description: 'Kommune / Gebietskörperschaft' },
    COMPANY: { description: 'Unternehmen' },
    EMPLOYMENT_AGENCY: { description: 'Agentur für Arbeit' },
    JOB_CENTRE: { description: 'Jobcenter' },
    CHAMBER: { description: 'Kammer (IHK, HWK) oder Kreishandwerkerschaft' },
    CHURCH: { description: 'Kirche / Kirchengemeinde' },
    WELFARE_ASSOCIATION: { description: 'Wohlfahrtsverband' },
    ASSOCIATION: { description: 'Verein oder Verband' },
    EMPLOYERS_ASSOCIATION: { description: 'Arbeitgeber- oder Unternehmerverband' },
    FOUNDATION: { description: 'Stiftung' },
    UNIVERSITY: { description: 'Hochschule' },
    HOSPITAL: { description: 'Krankenhaus / Klinikum' },
    MINISTRY: { description: 'Ministerium' },
    PUBLIC_BODY: { description: 'Öffentliche Stelle (Verband, Servicestelle)' },
    RESEARCH_INSTITUTE: { description: 'Forschungseinrichtung' },
    CHILDCARE_PROVIDER: { description: 'Träger der Kinderbetreuung' },
    COUNSELLING_SERVICE: { description: 'Beratungsstelle' },
    FAMILY_CENTRE: { description: 'Familienzentrum' },
    OTHER: { description: 'Sonstige' },
  },
});

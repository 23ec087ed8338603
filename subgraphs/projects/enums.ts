import { registerEnumType } from 'type-graphql';

export enum ProjectStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
}

registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Where a project stands; null where the sources do not say.',
  valuesConfig: {
    PLANNED: { description: 'Geplant' },
    ACTIVE: { description: 'Laufend' },
    COMPLETED: { description: 'Abgeschlossen' },
  },
});

export enum FundingProgramme {
  LEADER = 'LEADER',
  ESF = 'ESF',
  FEDERAL = 'FEDERAL',
  STATE = 'STATE',
  MUNICIPAL = 'MUNICIPAL',
  FOUNDATION = 'FOUNDATION',
  COMPANY = 'COMPANY',
  OTHER = 'OTHER',
}

registerEnumType(FundingProgramme, {
  name: 'FundingProgramme',
  description: 'Where the money for a project comes from.',
  valuesConfig: {
    LEADER: { description: 'EU-Förderprogramm LEADER' },
    ESF: { description: 'Europäischer Sozialfonds' },
    FEDERAL: { description: 'Bundesmittel' },
    STATE: { description: 'Landesmittel' },
    MUNICIPAL: { description: 'Kommunale Mittel' },
    FOUNDATION: { description: 'Stiftungsmittel' },
    COMPANY: { description: 'Unternehmensmittel' },
    OTHER: { description: 'Sonstige Förderung' },
  },
});

import { registerLabelledEnum } from '../kit/index.js';

export enum ProjectStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
}

registerLabelledEnum(ProjectStatus, 'ProjectStatus', 'Where a project stands; null where the sources do not say.', {
  PLANNED: 'Geplant',
  ACTIVE: 'Laufend',
  COMPLETED: 'Abgeschlossen',
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

registerLabelledEnum(FundingProgramme, 'FundingProgramme', 'Where the money for a project comes from.', {
  LEADER: 'EU-Förderprogramm LEADER',
  ESF: 'Europäischer Sozialfonds',
  FEDERAL: 'Bundesmittel',
  STATE: 'Landesmittel',
  MUNICIPAL: 'Kommunale Mittel',
  FOUNDATION: 'Stiftungsmittel',
  COMPANY: 'Unternehmensmittel',
  OTHER: 'Sonstige Förderung',
});

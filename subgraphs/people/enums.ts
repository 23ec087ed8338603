import { registerLabelledEnum } from '../kit/index.js';

export enum RoleKind {
  COORDINATOR = 'COORDINATOR',
  REPRESENTATIVE = 'REPRESENTATIVE',
  SPEAKER = 'SPEAKER',
  MENTOR = 'MENTOR',
  CONTACT = 'CONTACT',
}

registerLabelledEnum(RoleKind, 'RoleKind', 'What a person does for an alliance, a network or an organisation.', {
  COORDINATOR: 'Bündniskoordinator/in',
  REPRESENTATIVE: 'Vertreter/in einer Mitgliedsorganisation',
  SPEAKER: 'Referent/in',
  MENTOR: 'Bündnis-Mentor/in',
  CONTACT: 'Ansprechpartner/in',
});

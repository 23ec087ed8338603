import { registerEnumType } from 'type-graphql';

export enum RoleKind {
  COORDINATOR = 'COORDINATOR',
  REPRESENTATIVE = 'REPRESENTATIVE',
  SPEAKER = 'SPEAKER',
  MENTOR = 'MENTOR',
  CONTACT = 'CONTACT',
}

registerEnumType(RoleKind, {
  name: 'RoleKind',
  description: 'What a person does for an alliance, a network or an organisation.',
  valuesConfig: {
    COORDINATOR: { description: 'Bündniskoordinator/in' },
    REPRESENTATIVE: { description: 'Vertreter/in einer Mitgliedsorganisation' },
    SPEAKER: { description: 'Referent/in' },
    MENTOR: { description: 'Bündnis-Mentor/in' },
    CONTACT: { description: 'Ansprechpartner/in' },
  },
});

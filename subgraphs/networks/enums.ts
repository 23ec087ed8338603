import { registerEnumType } from 'type-graphql';

export enum NetworkKind {
  ARGE = 'ARGE',
  LANDESNETZWERK = 'LANDESNETZWERK',
  REGIONAL_COOPERATION = 'REGIONAL_COOPERATION',
  FEDERAL = 'FEDERAL',
}

registerEnumType(NetworkKind, {
  name: 'NetworkKind',
  description: 'How a network of local alliances is organised.',
  valuesConfig: {
    ARGE: { description: 'Arbeitsgemeinschaft (ARGE) Lokaler Bündnisse auf Landesebene' },
    LANDESNETZWERK: { description: 'Landesnetzwerk der Lokalen Bündnisse für Familie eines Bundeslandes' },
    REGIONAL_COOPERATION: { description: 'Regionale Kooperation, z. B. in einer Metropolregion oder einem Landkreis' },
    FEDERAL: { description: 'Bundesweite Initiative' },
  },
});

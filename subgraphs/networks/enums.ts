import { registerLabelledEnum } from '../kit/index.js';

export enum NetworkKind {
  ARGE = 'ARGE',
  LANDESNETZWERK = 'LANDESNETZWERK',
  REGIONAL_COOPERATION = 'REGIONAL_COOPERATION',
  FEDERAL = 'FEDERAL',
}

registerLabelledEnum(NetworkKind, 'NetworkKind', 'How a network of local alliances is organised.', {
  ARGE: 'Arbeitsgemeinschaft (ARGE) Lokaler Bündnisse auf Landesebene',
  LANDESNETZWERK: 'Landesnetzwerk der Lokalen Bündnisse für Familie eines Bundeslandes',
  REGIONAL_COOPERATION: 'Regionale Kooperation, z. B. in einer Metropolregion oder einem Landkreis',
  FEDERAL: 'Bundesweite Initiative',
});

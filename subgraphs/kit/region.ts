import { registerEnumType } from 'type-graphql';

/** The 16 German states by their official two-letter codes, plus DE for federal-level data. */
export enum Region {
  BW = 'BW', BY = 'BY', BE = 'BE', BB = 'BB', HB = 'HB', HH = 'HH', HE = 'HE', MV = 'MV',
  NI = 'NI', NW = 'NW', RP = 'RP', SL = 'SL', SN = 'SN', ST = 'ST', SH = 'SH', TH = 'TH', DE = 'DE',
}

export const REGIONS = Object.values(Region);

registerEnumType(Region, {
  name: 'Region',
  description: 'A German state by its two-letter code, or DE for federal-level data.',
  valuesConfig: {
    BW: { description: 'Baden-Württemberg' }, BY: { description: 'Bayern' }, BE: { description: 'Berlin' },
    BB: { description: 'Brandenburg' }, HB: { description: 'Bremen' }, HH: { description: 'Hamburg' },
    HE: { description: 'Hessen' }, MV: { description: 'Mecklenburg-Vorpommern' },
    NI: { description: 'Niedersachsen' }, NW: { description: 'Nordrhein-Westfalen' },
    RP: { description: 'Rheinland-Pfalz' }, SL: { description: 'Saarland' }, SN: { description: 'Sachsen' },
    ST: { description: 'Sachsen-Anhalt' }, SH: { description: 'Schleswig-Holstein' },
    TH: { description: 'Thüringen' }, DE: { description: 'Bund (federal level)' },
  },
});

export function isRegion(value: string): value is Region {
  return (REGIONS as string[]).includes(value);
}

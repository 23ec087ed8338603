import { registerLabelledEnum } from './labelled-enum.js';

/** The 16 German states by their official two-letter codes, plus DE for federal-level data. */
export enum Region {
  BW = 'BW', BY = 'BY', BE = 'BE', BB = 'BB', HB = 'HB', HH = 'HH', HE = 'HE', MV = 'MV',
  NI = 'NI', NW = 'NW', RP = 'RP', SL = 'SL', SN = 'SN', ST = 'ST', SH = 'SH', TH = 'TH', DE = 'DE',
}

export const REGIONS = Object.values(Region);

registerLabelledEnum(Region, 'Region', 'A German state by its two-letter code, or DE for federal-level data.', {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin',
  BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg',
  HE: 'Hessen', MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz', SL: 'Saarland', SN: 'Sachsen',
  ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein',
  TH: 'Thüringen', DE: 'Bund (federal level)',
});

export function isRegion(value: string): value is Region {
  return (REGIONS as string[]).includes(value);
}

import { registerLabelledEnum } from './labelled-enum.js';
import { Region } from '../shared/region.js';

export { Region, REGIONS, isRegion } from '../shared/region.js';

registerLabelledEnum(Region, 'Region', 'A German state by its two-letter code, or DE for federal-level data.', {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin',
  BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg',
  HE: 'Hessen', MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz', SL: 'Saarland', SN: 'Sachsen',
  ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein',
  TH: 'Thüringen', DE: 'Bund (federal level)',
});


/** The 16 German states by their official two-letter codes, plus DE for federal-level data. */
export enum Region {
  BW = 'BW', BY = 'BY', BE = 'BE', BB = 'BB', HB = 'HB', HH = 'HH', HE = 'HE', MV = 'MV',
  NI = 'NI', NW = 'NW', RP = 'RP', SL = 'SL', SN = 'SN', ST = 'ST', SH = 'SH', TH = 'TH', DE = 'DE',
}

export const REGIONS = Object.values(Region);

export function isRegion(value: string): value is Region {
  return (REGIONS as string[]).includes(value);
}

import { describe, expect, it } from 'vitest';
import { RowProblems, cellEuroCents, cellPercent } from '../subgraphs/kit/index.js';
import { mainLine } from '../subgraphs/projects/entities/funding-line.js';
import { FundingProgramme } from '../subgraphs/projects/enums.js';
import { apiRow, mapHeaders } from '../scripts/hub/columns.js';

describe('funding cells of an import file', () => {
  it('reads euro amounts as spreadsheets write them, exactly in cents', () => {
    const problems = new RowProblems(2);
    const cents = (text: string | null | undefined) => cellEuroCents(problems, 'amount', text);
    expect(['120000', '120.000', '120.000,50 €', '120000,5', '1200.50', '1,200.50', 'EUR 1.234.567,89', '0', ' ', null, undefined].map(cents))
      .toEqual([12_000_000, 12_000_000, 12_000_050, 12_000_050, 120_050, 120_050, 123_456_789, 0, null, null, undefined]);
    expect(problems.errors).toEqual([]);
    expect(cents('zwölf')).toBeUndefined();
    expect(cents('1,005')).toBeUndefined();
    expect(problems.errors.map((e) => e.field)).toEqual(['amount', 'amount']);
    expect(problems.errors[1].message).toContain('whole cents');
    expect(['60', '60 %', '33,33', '33.33 Prozent'].map((text) => cellPercent(problems, 'share', text))).toEqual([60, 60, 33.33, 33.33]);
  });

  it('maps numbered funding columns, English or German, to the lines of the import row', () => {
    const headers = ['Titel', 'funding1Programme', 'Förderung 1 Betrag', 'Förderlinie 2 Geldgeber', 'Förderung 2 Aktenzeichen', 'Förderung', 'Förderung 21 Betrag'];
    const { fields, ignored } = mapHeaders('projects', headers);
    expect(fields).toEqual(['title', 'fundingLines.0.programme', 'fundingLines.0.amount', 'fundingLines.1.funder', 'fundingLines.1.grantReference',
      'fundingProgramme', undefined]);
    expect(ignored).toEqual(['Förderung 21 Betrag']);
    expect(mapHeaders('alliances', ['funding1Programme']).fields).toEqual([undefined]);
    expect(apiRow({ title: 'A', 'fundingLines.1.funder': 'Land', 'fundingLines.0.programme': 'ESF' }))
      .toEqual({ title: 'A', fundingLines: [{ programme: 'ESF' }, { funder: 'Land' }] });
    expect(apiRow({ title: 'A' })).toEqual({ title: 'A' });
  });
});

describe('the main funding line', () => {
  const { ESF, STATE, LEADER } = FundingProgramme;
  it('is the largest amount, then the largest share, then the first; unknown ranks lowest', () => {
    expect(mainLine([{ programme: STATE, amountCents: 100 }, { programme: ESF, amountCents: 200 }])?.programme).toBe(ESF);
    expect(mainLine([{ programme: STATE, amountCents: 100, share: 20 }, { programme: ESF, amountCents: 100, share: 80 }])?.programme).toBe(ESF);
    expect(mainLine([{ programme: LEADER }, { programme: STATE }])?.programme).toBe(LEADER);
    expect(mainLine([{ programme: LEADER, share: 90 }, { programme: STATE, amountCents: 0 }])?.programme).toBe(STATE);
    expect(mainLine([])).toBeUndefined();
  });
});

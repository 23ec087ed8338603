import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, deleteLogged, makeId } from '../../kit/index.js';
import { FundingLine, mainLine } from '../entities/funding-line.js';
import type { Project } from '../entities/project.js';
import type { FundingProgramme } from '../enums.js';
import type { FundingLineInput } from '../inputs/project.inputs.js';

/** A funding line as the writes take it: the input's fields, each possibly absent. */
export type FundingLineValue = Pick<FundingLineInput, 'programme'> & Partial<Omit<FundingLineInput, 'programme'>>;

interface FundingFields {
  fundingProgramme?: FundingProgramme | null;
  fundingLines?: FundingLineValue[] | null;
}

/**
 * The lines a write asks for, or undefined to leave them: `fundingLines` as given, else the
 * `fundingProgramme` shorthand as one line of unknown amount (null: none). Given both, the
 * programme must be the main line's, so a file exported with both imports back unchanged.
 */
export function requestedLines(fields: FundingFields): FundingLineValue[] | undefined {
  const { fundingProgramme, fundingLines } = fields;
  if (fundingLines !== undefined) {
    const lines = fundingLines ?? [];
    const main = mainLine(lines)?.programme ?? null;
    if (fundingProgramme !== undefined && (fundingProgramme ?? null) !== main) {
      throw badInput(`fundingProgramme ${fundingProgramme ?? 'null'} is not the programme of the main funding line (${main ?? 'none'}); `
        + 'leave fundingProgramme out, it follows from fundingLines', 'fundingProgramme');
    }
    return lines;
  }
  if (fundingProgramme !== undefined) return fundingProgramme ? [{ programme: fundingProgramme }] : [];
  return undefined;
}

/**
 * Replaces a project's funding lines as a whole and sets its programme to the main line's. The
 * old rows are deleted first, each deletion logged (see `deleteLogged`); the new ones are logged
 * as the flush creates them.
 */
export async function replaceFundingLines(em: EntityManager, project: Project, lines: FundingLineValue[], stored: boolean): Promise<void> {
  if (stored) await deleteLogged(em, FundingLine, { project });
  lines.forEach((line, position) => {
    em.create(FundingLine, {
      id: makeId(project.region, 'fundingLine'), region: project.region, project, position, programme: line.programme,
      funder: line.funder ?? null, amountCents: line.amountCents ?? null, share: line.share ?? null,
      startsOn: line.startsOn ?? null, endsOn: line.endsOn ?? null, grantReference: line.grantReference ?? null,
    } as never);
  });
  project.fundingProgramme = mainLine(lines)?.programme ?? null;
}

/** The lines of a stored project as values, in their order (for comparing with an import row). */
export const lineValues = (lines: FundingLine[]): FundingLineValue[] => lines.map((line) => ({
  programme: line.programme, funder: line.funder ?? null, amountCents: line.amountCents ?? null, share: line.share ?? null,
  startsOn: line.startsOn ?? null, endsOn: line.endsOn ?? null, grantReference: line.grantReference ?? null,
}));

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import {
  FieldOfAction, ImportReport, assertNotBefore, cellDate, cellEnum, cellEnumList, cellList, cellText, changedFields,
  cellEuroCents, cellPercent, checkInput, makeId, runImport, sameValue, type ImportAction, type RowProblems, type SubgraphContext,
} from '../../kit/index.js';
import { FundingLine } from '../entities/funding-line.js';
import { Project } from '../entities/project.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';
import { CreateProjectInput, FundingLineInput, MAX_FUNDING_LINES } from '../inputs/project.inputs.js';
import { FundingLineImportRow, ProjectImportInput, ProjectImportRow } from '../inputs/import.inputs.js';
import { lineValues, replaceFundingLines, requestedLines, type FundingLineValue } from './funding.js';

/** `shorthand`: the row gave the programme alone, no line cells. */
type ProjectValue = Record<string, unknown> & { title: string; fundingLines?: FundingLineValue[]; shorthand?: boolean };

/** A row's funding lines; a line whose every cell is empty is no line. */
function parseFundingLines(problems: RowProblems, rows: FundingLineImportRow[] | null | undefined): FundingLineValue[] | undefined {
  if (rows === undefined) return undefined;
  const given = (rows ?? []).filter((row) => Object.values(row).some((cell) => cellText(cell as string | null | undefined)));
  if (given.length > MAX_FUNDING_LINES) problems.add('fundingLines', `a project has at most ${MAX_FUNDING_LINES} funding lines, not ${given.length}`);
  const lines = given.map((row, index) => {
    const field = (cell: string) => `fundingLines.${index}.${cell}`;
    const programme = cellEnum(problems, field('programme'), FundingProgramme, row.programme);
    if (programme === null) problems.add(field('programme'), `${field('programme')} is required for a funding line`);
    return {
      programme: programme as FundingProgramme, funder: cellText(row.funder), amountCents: cellEuroCents(problems, field('amount'), row.amount),
      share: cellPercent(problems, field('share'), row.share), startsOn: cellDate(problems, field('startsOn'), row.startsOn),
      endsOn: cellDate(problems, field('endsOn'), row.endsOn), grantReference: cellText(row.grantReference),
    };
  });
  return lines;
}

async function parseProject(row: ProjectImportRow, problems: RowProblems): Promise<ProjectValue | undefined> {
  const value: ProjectValue = {
    title: cellText(row.title) as string,
    summary: cellText(row.summary),
    fieldsOfAction: cellEnumList(problems, 'fieldsOfAction', FieldOfAction, row.fieldsOfAction),
    status: cellEnum(problems, 'status', ProjectStatus, row.status),
    fundingProgramme: cellEnum(problems, 'fundingProgramme', FundingProgramme, row.fundingProgramme),
    fundingLines: parseFundingLines(problems, row.fundingLines),
    startsOn: cellDate(problems, 'startsOn', row.startsOn),
    endsOn: cellDate(problems, 'endsOn', row.endsOn),
    website: cellText(row.website),
    leadAllianceId: cellText(row.leadAllianceId),
    partnerAllianceIds: cellList(row.partnerAllianceIds),
    partnerOrganizationIds: cellList(row.partnerOrganizationIds),
    contactIds: cellList(row.contactIds),
  };
  if (!value.title) problems.add('title', 'title is required');
  const lines = value.fundingLines?.map((line) => Object.assign(new FundingLineInput(), line));
  // The line cells hold euros where the input holds cents: errors name the cell of the row.
  const cells: Record<string, string> = Object.fromEntries((lines ?? []).map((_, index) => [`fundingLines.${index}.amountCents`, `fundingLines.${index}.amount`]));
  // Shares over 100 % in sum: named at the last share cell, where a spreadsheet user would correct them.
  const lastShare = (lines ?? []).map((line) => line.share).findLastIndex((share) => share !== null && share !== undefined);
  if (lastShare >= 0) cells.fundingLines = `fundingLines.${lastShare}.share`;
  await checkInput(problems, Object.assign(new CreateProjectInput(), { ...value, fundingLines: lines, title: value.title ?? 'x' }), cells);
  try {
    // Lines replace the stored ones; the programme alone stands for one line of it (and must match given lines).
    value.fundingLines = requestedLines(value as Parameters<typeof requestedLines>[0]);
    value.shorthand = row.fundingLines === undefined && value.fundingProgramme !== undefined;
  } catch (error) {
    problems.add('fundingProgramme', (error as Error).message);
  }
  return value.title ? value : undefined;
}

/** The rules of createProject/updateProject that span fields, on the record as it would be saved. */
function checkProject(problems: RowProblems, project: Record<string, unknown>): void {
  try {
    assertNotBefore(project.endsOn as string | null, project.startsOn as string | null, 'endsOn');
  } catch (error) {
    problems.add('endsOn', (error as Error).message);
  }
  const lead = project.leadAllianceId as string | null | undefined;
  if (lead && ((project.partnerAllianceIds as string[] | undefined) ?? []).includes(lead)) {
    problems.add('partnerAllianceIds', `${lead} is the lead alliance; it cannot also be a partner`);
  }
}

@Resolver()
export class ProjectImportResolver {
  @Mutation(() => ImportReport, {
    description: 'Imports rows of a file into one region in one transaction: each row creates the project its (region, title) '
      + 'names or updates it; with any invalid row nothing is written and every row error is returned.',
  })
  importProjects(@Arg('input', () => ProjectImportInput) input: ProjectImportInput, @Ctx() ctx: SubgraphContext) {
    return runImport(ctx, input, {
      parse: parseProject,
      key: (value) => value.title,
      describe: (value) => `project "${value.title}"`,
      async plan(em, rows, region) {
        const titles = [...new Set(rows.map((r) => r.value.title))];
        const found = titles.length ? await em.find(Project, { region, title: { $in: titles } }) : [];
        // Every matched project's lines in one statement, to tell a changed list from an unchanged one.
        const storedLines = found.length
          ? await em.find(FundingLine, { project: { $in: found } }, { orderBy: { project: 'asc', position: 'asc' } }) : [];
        const linesOf = (project: Project) => lineValues(storedLines.filter((l) => l.project.id === project.id));
        return rows.flatMap(({ line, value, problems }): ImportAction[] => {
          const matches = found.filter((p) => p.title === value.title);
          if (matches.length > 1) problems.add('title', `${matches.length} projects are titled "${value.title}"; rename them so the title is unique`);
          const project = matches.length === 1 ? matches[0] : undefined;
          const { fundingLines, fundingProgramme, shorthand, ...fields } = value;
          const merged = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v !== undefined ? v : (project as never)?.[k]]));
          checkProject(problems, merged);
          if (problems.errors.length) return [];
          if (!project) {
            return [{ line, action: 'create', apply: async () => {
              const created = em.create(Project, {
                ...fields, fieldsOfAction: value.fieldsOfAction ?? [], partnerAllianceIds: value.partnerAllianceIds ?? [],
                partnerOrganizationIds: value.partnerOrganizationIds ?? [], contactIds: value.contactIds ?? [],
                id: makeId(region, 'project'), region,
              } as never);
              await replaceFundingLines(em, created, fundingLines ?? [], false);
            } }];
          }
          // As in updateProject: the programme alone, naming the one the project has, keeps its lines.
          const keepLines = fundingLines === undefined || (shorthand && fundingProgramme === project.fundingProgramme)
            || sameValue(linesOf(project), fundingLines);
          const changed = changedFields(project, fields);
          if (!changed.length && keepLines) return [{ line, action: 'unchanged' }];
          return [{ line, action: 'update', apply: async () => {
            em.assign(project, Object.fromEntries(changed.map((k) => [k, value[k]])) as never);
            if (!keepLines) {
              await replaceFundingLines(em, project, fundingLines!, true);
              project.updatedAt = new Date();
            }
          } }];
        });
      },
    });
  }
}

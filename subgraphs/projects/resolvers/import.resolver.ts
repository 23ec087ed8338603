import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import {
  FieldOfAction, ImportReport, assertNotBefore, cellDate, cellEnum, cellEnumList, cellList, cellText, changedFields,
  checkInput, makeId, runImport, type ImportAction, type RowProblems, type SubgraphContext,
} from '../../kit/index.js';
import { Project } from '../entities/project.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';
import { CreateProjectInput } from '../inputs/project.inputs.js';
import { ProjectImportInput, ProjectImportRow } from '../inputs/import.inputs.js';

type ProjectValue = Record<string, unknown> & { title: string };

async function parseProject(row: ProjectImportRow, problems: RowProblems): Promise<ProjectValue | undefined> {
  const value: ProjectValue = {
    title: cellText(row.title) as string,
    summary: cellText(row.summary),
    fieldsOfAction: cellEnumList(problems, 'fieldsOfAction', FieldOfAction, row.fieldsOfAction),
    status: cellEnum(problems, 'status', ProjectStatus, row.status),
    fundingProgramme: cellEnum(problems, 'fundingProgramme', FundingProgramme, row.fundingProgramme),
    startsOn: cellDate(problems, 'startsOn', row.startsOn),
    endsOn: cellDate(problems, 'endsOn', row.endsOn),
    website: cellText(row.website),
    leadAllianceId: cellText(row.leadAllianceId),
    partnerAllianceIds: cellList(row.partnerAllianceIds),
    partnerOrganizationIds: cellList(row.partnerOrganizationIds),
    contactIds: cellList(row.contactIds),
  };
  if (!value.title) problems.add('title', 'title is required');
  await checkInput(problems, Object.assign(new CreateProjectInput(), { ...value, title: value.title ?? 'x' }));
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
        return rows.flatMap(({ line, value, problems }): ImportAction[] => {
          const matches = found.filter((p) => p.title === value.title);
          if (matches.length > 1) problems.add('title', `${matches.length} projects are titled "${value.title}"; rename them so the title is unique`);
          const project = matches.length === 1 ? matches[0] : undefined;
          const merged = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v !== undefined ? v : (project as never)?.[k]]));
          checkProject(problems, merged);
          if (problems.errors.length) return [];
          if (!project) {
            return [{ line, action: 'create', apply: () => {
              em.create(Project, {
                ...value, fieldsOfAction: value.fieldsOfAction ?? [], partnerAllianceIds: value.partnerAllianceIds ?? [],
                partnerOrganizationIds: value.partnerOrganizationIds ?? [], contactIds: value.contactIds ?? [],
                id: makeId(region, 'project'), region,
              } as never);
            } }];
          }
          const changed = changedFields(project, value);
          if (!changed.length) return [{ line, action: 'unchanged' }];
          return [{ line, action: 'update', apply: () => em.assign(project, Object.fromEntries(changed.map((k) => [k, value[k]])) as never) }];
        });
      },
    });
  }
}

import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, Info } from 'type-graphql';
import {
  ConnectionType, PageArgs, applyPatch, assertNotBefore, badInput, findForUpdate, findForWrite, inTransaction, newRecordId,
  paginate, parseId, type SubgraphContext,
} from '../../kit/index.js';
import { AllianceRef, allianceRef, allianceRefs } from '../entities/alliance-ref.js';
import { OrganizationRef, organizationRefs } from '../entities/organization-ref.js';
import { PersonRef, personRefs } from '../entities/person-ref.js';
import { FundingLine } from '../entities/funding-line.js';
import { Project } from '../entities/project.js';
import { CreateProjectInput, ProjectFilter, UpdateProjectInput } from '../inputs/project.inputs.js';
import { projectWhere } from './project-where.js';
import { replaceFundingLines, requestedLines } from './funding.js';

@ObjectType()
export class ProjectConnection extends ConnectionType(Project, 'Project') {}

const LIST_FIELDS = ['fieldsOfAction', 'partnerAllianceIds', 'partnerOrganizationIds', 'contactIds'] as const;

/**
 * Input fields as stored: a list sent as null is cleared to empty (the columns hold lists, never
 * null); the funding fields are written as lines (see funding.ts).
 */
function storedFields<T extends object>(input: T): Omit<T, 'fundingLines' | 'fundingProgramme'> {
  const { fundingLines: _lines, fundingProgramme: _programme, ...fields } = input as Record<string, unknown>;
  for (const key of LIST_FIELDS) if (fields[key] === null) fields[key] = [];
  return fields as Omit<T, 'fundingLines' | 'fundingProgramme'>;
}

/** Rules that span fields, checked on the record as it would be saved. */
function checkProject(project: Project): void {
  assertNotBefore(project.endsOn, project.startsOn, 'endsOn');
  if (project.leadAllianceId && project.partnerAllianceIds.includes(project.leadAllianceId)) {
    throw badInput(`${project.leadAllianceId} is the lead alliance; it cannot also be a partner`, 'partnerAllianceIds');
  }
}

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, { description: 'Projects in title order, a page at a time.' })
  projects(
    @Arg('filter', () => ProjectFilter, { nullable: true }) filter: ProjectFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return paginate({ em: ctx.em, entity: Project, where: projectWhere(filter), sortBy: 'sortKey', page, info });
  }

  @Query(() => Project, { nullable: true })
  project(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'project');
    return ctx.loaders.byId(Project).load(id);
  }

  @FieldResolver(() => AllianceRef, { nullable: true, description: 'The alliance in charge, if one is.' })
  leadAlliance(@Root() project: Project) {
    return allianceRef(project.leadAllianceId);
  }

  @FieldResolver(() => [AllianceRef], { nullable: 'items', description: 'Other alliances taking part; an entry is null while the owning region cannot be reached.' })
  partnerAlliances(@Root() project: Project) {
    return allianceRefs(project.partnerAllianceIds);
  }

  @FieldResolver(() => [OrganizationRef], { nullable: 'items', description: 'Organisations taking part; an entry is null while the owning region cannot be reached.' })
  partnerOrganizations(@Root() project: Project) {
    return organizationRefs(project.partnerOrganizationIds);
  }

  @FieldResolver(() => [PersonRef], { nullable: 'items', description: 'People to contact about the project; an entry is null while the owning region cannot be reached.' })
  contacts(@Root() project: Project) {
    return personRefs(project.contactIds);
  }

  @FieldResolver(() => [FundingLine], { description: 'Where the money comes from, in the order given; empty when unknown.' })
  fundingLines(@Root() project: Project, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(FundingLine, 'project', { orderBy: { position: 'asc' } }).load(project.id);
  }

  @Mutation(() => Project)
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: SubgraphContext) {
    const lines = requestedLines(input) ?? [];
    return inTransaction(ctx, async (em) => {
      const project = em.create(Project, { ...storedFields(input), id: newRecordId(ctx, input.region, 'project') } as never);
      checkProject(project);
      await replaceFundingLines(em, project, lines, false);
      await em.flush();
      return project;
    });
  }

  @Mutation(() => Project, {
    description: 'Changes the fields given (fundingLines replace the stored lines as a whole); refuses a stale version with CONFLICT.',
  })
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: SubgraphContext) {
    const lines = requestedLines(input);
    return inTransaction(ctx, async (em) => {
      const project = await findForUpdate(ctx, em, Project, input.id, 'project', input.version);
      applyPatch(project, storedFields(input), { required: ['title'] });
      checkProject(project);
      // The shorthand naming the programme the project already has keeps its lines (and their amounts).
      const sameProgramme = input.fundingLines === undefined && input.fundingProgramme === project.fundingProgramme;
      if (lines && !sameProgramme) {
        await replaceFundingLines(em, project, lines, true);
        // New lines are a change of the project: its version moves on, so concurrent edits collide.
        project.updatedAt = new Date();
      }
      await em.flush();
      return project;
    });
  }

  @Mutation(() => ID, { description: 'Deletes the project; returns its id.' })
  deleteProject(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      em.remove(await findForWrite(ctx, em, Project, id, 'project'));
      await em.flush();
      return id;
    });
  }
}

import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, Info } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  ConnectionType, PageArgs, applyPatch, findForUpdate, findForWrite, inTransaction, newRecordId, paginate, parseId,
  whereAll, deleteUnreferenced, ReferenceAction, REFERENCES_DESCRIPTION, selectedFieldNames, type SubgraphContext,
} from '../../kit/index.js';
import { Alliance } from '../entities/alliance.js';
import { allianceReferrers } from '../referrers.js';
import { Membership, heldOrganizationId } from '../entities/membership.js';
import { Organization } from '../entities/organization.js';
import { AllianceFilter, CreateAllianceInput, UpdateAllianceInput } from '../inputs/alliance.inputs.js';

@ObjectType()
export class AllianceConnection extends ConnectionType(Alliance, 'Alliance') {}

function allianceWhere(filter: AllianceFilter | undefined): FilterQuery<Alliance> {
  return whereAll<Alliance>(filter, filter?.fieldsOfAction && { fieldsOfAction: { $overlap: filter.fieldsOfAction } });
}

@Resolver(() => Alliance)
export class AllianceResolver {
  @Query(() => AllianceConnection, { description: 'Alliances in name order, a page at a time.' })
  alliances(
    @Arg('filter', () => AllianceFilter, { nullable: true }) filter: AllianceFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return paginate({ em: ctx.em, entity: Alliance, where: allianceWhere(filter), sortBy: 'sortKey', page, info });
  }

  @Query(() => Alliance, { nullable: true })
  alliance(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'alliance');
    return ctx.loaders.byId(Alliance).load(id);
  }

  @FieldResolver(() => [Membership], { description: 'Member organisations, earliest first.' })
  memberships(@Root() alliance: Alliance, @Ctx() ctx: SubgraphContext, @Info() info: GraphQLResolveInfo) {
    // Organisations asked for are read with the memberships: Membership.organization then answers without waiting.
    const alongside = selectedFieldNames(info).has('organization')
      ? { entity: Organization, idOf: (m: Membership) => heldOrganizationId(ctx, m) }
      : undefined;
    return ctx.loaders.manyBy(Membership, 'alliance', { orderBy: { joinedOn: 'asc', id: 'asc' }, alongside }).load(alliance.id);
  }

  @Mutation(() => Alliance)
  createAlliance(@Arg('input', () => CreateAllianceInput) input: CreateAllianceInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const alliance = em.create(Alliance, { ...input, id: newRecordId(ctx, input.region, 'alliance') } as never);
      await em.flush();
      return alliance;
    });
  }

  @Mutation(() => Alliance, { description: 'Changes the fields given; refuses a stale version with CONFLICT.' })
  updateAlliance(@Arg('input', () => UpdateAllianceInput) input: UpdateAllianceInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const alliance = await findForUpdate(ctx, em, Alliance, input.id, 'alliance', input.version);
      applyPatch(alliance, input, { required: ['name', 'fieldsOfAction', 'workingGroups'] });
      await em.flush();
      return alliance;
    });
  }

  @Mutation(() => ID, { description: 'Deletes the alliance with its memberships; returns its id. Refused with REFERENCED while projects, networks or roles name it, unless references: REMOVE.' })
  deleteAlliance(
    @Arg('id', () => ID) id: string,
    @Arg('references', () => ReferenceAction, { defaultValue: ReferenceAction.REFUSE, description: REFERENCES_DESCRIPTION }) references: ReferenceAction,
    @Ctx() ctx: SubgraphContext,
  ) {
    return deleteUnreferenced(ctx, allianceReferrers, id, references, (em) => findForWrite(ctx, em, Alliance, id, 'alliance'));
  }
}

import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  ConnectionType, PageArgs, applyPatch, conflict, findForUpdate, findForWrite, inTransaction, newRecordId, paginate, parseId,
  whereAll, type SubgraphContext,
} from '../../kit/index.js';
import { Organization } from '../entities/organization.js';
import { Membership } from '../entities/membership.js';
import { CreateOrganizationInput, OrganizationFilter, UpdateOrganizationInput } from '../inputs/organization.inputs.js';

@ObjectType()
export class OrganizationConnection extends ConnectionType(Organization, 'Organization') {}

function organizationWhere(filter: OrganizationFilter | undefined): FilterQuery<Organization> {
  return whereAll<Organization>(filter, filter?.kinds && { kind: { $in: filter.kinds } });
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection, { description: 'Organisations in name order, a page at a time.' })
  organizations(
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter: OrganizationFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ) {
    return paginate({ em: ctx.em, entity: Organization, where: organizationWhere(filter), sortBy: 'sortKey', page });
  }

  @Query(() => Organization, { nullable: true })
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'organization');
    return ctx.loaders.byId(Organization).load(id);
  }

  @FieldResolver(() => [Membership], { description: 'The alliances this organisation belongs to.' })
  memberships(@Root() organization: Organization, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(Membership, 'organization', { orderBy: { joinedOn: 'asc', id: 'asc' } }).load(organization.id);
  }

  @Mutation(() => Organization)
  createOrganization(@Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const organization = em.create(Organization, { ...input, id: newRecordId(ctx, input.region, 'organization') } as never);
      await em.flush();
      return organization;
    });
  }

  @Mutation(() => Organization)
  updateOrganization(@Arg('input', () => UpdateOrganizationInput) input: UpdateOrganizationInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const organization = await findForUpdate(ctx, em, Organization, input.id, 'organization', input.version);
      applyPatch(organization, input, { required: ['name', 'kind'] });
      await em.flush();
      return organization;
    });
  }

  @Mutation(() => ID, { description: 'Deletes an organisation that belongs to no alliance; returns its id.' })
  deleteOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const organization = await findForWrite(ctx, em, Organization, id, 'organization');
      const memberships = await em.count(Membership, { organization });
      if (memberships > 0) {
        throw conflict(`Organization "${id}" is still a member of ${memberships} alliance(s); end or delete those memberships first`);
      }
      em.remove(organization);
      await em.flush();
      return id;
    });
  }
}

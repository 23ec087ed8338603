import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, Info } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  ConnectionType, PageArgs, applyPatch, findForUpdate, findForWrite, inTransaction, newRecordId, paginate, parseId,
  whereAll, deleteUnreferenced, ReferenceAction, REFERENCES_DESCRIPTION, type SubgraphContext,
} from '../../kit/index.js';
import { Organization } from '../entities/organization.js';
import { allianceReferrers } from '../referrers.js';
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
    @Info() info: GraphQLResolveInfo,
  ) {
    return paginate({ em: ctx.em, entity: Organization, where: organizationWhere(filter), sortBy: 'sortKey', page, info });
  }

  @Query(() => Organization, { nullable: true })
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'organization');
    return ctx.loaders.byId(Organization).load(id);
  }

  @FieldResolver(() => [Membership], {
    description: 'The alliances this organisation belongs to, in every region, earliest first (undated last).',
  })
  memberships(@Root() organization: Organization, @Ctx() ctx: SubgraphContext) {
    // The memberships held here; those held with other regions' alliances the gateway asks of their instances.
    return ctx.loaders.manyBy(Membership, 'organizationId', { orderBy: { joinedOn: 'asc', id: 'asc' } }).load(organization.id);
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

  @Mutation(() => ID, {
    description: 'Deletes an organisation; returns its id. Refused with REFERENCED while memberships (of any region), networks, talks, '
      + 'roles or projects name it, unless references: REMOVE (its memberships and network partnerships are then deleted).',
  })
  deleteOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('references', () => ReferenceAction, { defaultValue: ReferenceAction.REFUSE, description: REFERENCES_DESCRIPTION }) references: ReferenceAction,
    @Ctx() ctx: SubgraphContext,
  ) {
    return deleteUnreferenced(ctx, allianceReferrers, id, references, (em) => findForWrite(ctx, em, Organization, id, 'organization'));
  }
}

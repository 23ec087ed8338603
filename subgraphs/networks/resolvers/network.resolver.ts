import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  MAX_PAGE_SIZE, Region, applyPatch, readRows, badInput, findForUpdate, findForWrite, inTransaction, newRecordId, parseId,
  whereAll, deleteUnreferenced, ReferenceAction, REFERENCES_DESCRIPTION, type SubgraphContext,
} from '../../kit/index.js';
import { Meeting } from '../entities/meeting.js';
import { Network } from '../entities/network.js';
import { networkReferrers } from '../referrers.js';
import { NetworkMember } from '../entities/network-member.js';
import { NetworkPartner } from '../entities/network-partner.js';
import { OrganizationRef, organizationRef } from '../entities/organization-ref.js';
import { CreateNetworkInput, NetworkFilter, UpdateNetworkInput } from '../inputs/network.inputs.js';
import { addMembers, addPartners, checkMembers, replaceLists } from './network-lists.js';

function networkWhere(region: Region | undefined, filter: NetworkFilter | undefined): FilterQuery<Network> {
  return whereAll<Network>({ text: filter?.text, regions: region && [region] }, filter?.kinds && { kind: { $in: filter.kinds } });
}

@Resolver(() => Network)
export class NetworkResolver {
  // Networks are few (one or two per state), so a plain list in name order serves them.
  @Query(() => [Network], { description: `Networks in name order, at most ${MAX_PAGE_SIZE}.` })
  networks(
    @Arg('region', () => Region, { nullable: true }) region: Region | undefined,
    @Arg('filter', () => NetworkFilter, { nullable: true }) filter: NetworkFilter | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: MAX_PAGE_SIZE, description: `At most ${MAX_PAGE_SIZE}.` })
    requested: number | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    const first = requested ?? MAX_PAGE_SIZE;
    if (first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
    if (first === 0) return [];
    return readRows(ctx.em, Network, networkWhere(region ?? undefined, filter ?? undefined), {
      orderBy: { sortKey: 'asc', id: 'asc' }, limit: first,
    });
  }

  @Query(() => Network, { nullable: true })
  network(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'network');
    return ctx.loaders.byId(Network).load(id);
  }

  @FieldResolver(() => OrganizationRef, { nullable: true, description: 'The organisation that coordinates the network.' })
  coordinatingBody(@Root() network: Network) {
    return organizationRef(network.coordinatingBodyId);
  }

  @FieldResolver(() => [NetworkMember], { description: 'Member alliances, earliest first.' })
  memberAlliances(@Root() network: Network, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(NetworkMember, 'network', { orderBy: { since: 'asc', allianceId: 'asc' } }).load(network.id);
  }

  @FieldResolver(() => [NetworkPartner])
  partners(@Root() network: Network, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(NetworkPartner, 'network', {
      orderBy: { since: 'asc', organizationId: 'asc', id: 'asc' },
    }).load(network.id);
  }

  @FieldResolver(() => [Meeting], { description: 'Meetings by number, then date.' })
  meetings(@Root() network: Network, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(Meeting, 'network', { orderBy: { number: 'asc', date: 'asc', id: 'asc' } }).load(network.id);
  }

  @Mutation(() => Network)
  createNetwork(@Arg('input', () => CreateNetworkInput) input: CreateNetworkInput, @Ctx() ctx: SubgraphContext) {
    checkMembers(input.memberAlliances);
    return inTransaction(ctx, async (em) => {
      const { memberAlliances, partners, ...fields } = input;
      const network = em.create(Network, { ...fields, id: newRecordId(ctx, input.region, 'network') } as never);
      addMembers(em, network, memberAlliances ?? []);
      addPartners(em, network, partners ?? []);
      await em.flush();
      return network;
    });
  }

  @Mutation(() => Network, {
    description: 'Changes the fields given (a given list replaces the stored one); refuses a stale version with CONFLICT.',
  })
  updateNetwork(@Arg('input', () => UpdateNetworkInput) input: UpdateNetworkInput, @Ctx() ctx: SubgraphContext) {
    checkMembers(input.memberAlliances);
    return inTransaction(ctx, async (em) => {
      const network = await findForUpdate(ctx, em, Network, input.id, 'network', input.version);
      const { memberAlliances, partners, ...fields } = input;
      applyPatch(network, fields, { required: ['name', 'kind'] });
      // A changed list is a change of the network: the version moves on, so concurrent edits collide.
      if (await replaceLists(em, network, { memberAlliances, partners })) network.updatedAt = new Date();
      await em.flush();
      return network;
    });
  }

  @Mutation(() => ID, { description: 'Deletes the network with its members, partners, meetings and talks; returns its id. Refused with REFERENCED while roles name it, unless references: REMOVE.' })
  deleteNetwork(
    @Arg('id', () => ID) id: string,
    @Arg('references', () => ReferenceAction, { defaultValue: ReferenceAction.REFUSE, description: REFERENCES_DESCRIPTION }) references: ReferenceAction,
    @Ctx() ctx: SubgraphContext,
  ) {
    return deleteUnreferenced(ctx, networkReferrers, id, references, (em) => findForWrite(ctx, em, Network, id, 'network'));
  }
}

import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  applyPatch, assertNotBefore, conflict, findForUpdate, findForWrite, findOrFail, inTransaction, makeId, parseId,
  type SubgraphContext,
} from '../../kit/index.js';
import { Alliance } from '../entities/alliance.js';
import { Membership } from '../entities/membership.js';
import { Organization } from '../entities/organization.js';
import { PersonRef, personRef } from '../entities/person-ref.js';
import { CreateMembershipInput, UpdateMembershipInput } from '../inputs/membership.inputs.js';

function checkDates(membership: Membership): void {
  assertNotBefore(membership.leftOn, membership.joinedOn, 'leftOn');
}

@Resolver(() => Membership)
export class MembershipResolver {
  @Query(() => Membership, { nullable: true })
  membership(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'membership');
    return ctx.loaders.byId(Membership).load(id);
  }

  @FieldResolver(() => Alliance)
  alliance(@Root() membership: Membership, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.byId(Alliance).load(membership.alliance.id);
  }

  @FieldResolver(() => Organization)
  organization(@Root() membership: Membership, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.byId(Organization).load(membership.organization.id);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: 'Who represents the organisation in the alliance.' })
  representative(@Root() membership: Membership) {
    return personRef(membership.representativeId);
  }

  @Mutation(() => Membership, { description: 'Adds an organisation to an alliance (owned by the alliance\'s region).' })
  createMembership(@Arg('input', () => CreateMembershipInput) input: CreateMembershipInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const alliance = await findForWrite(ctx, em, Alliance, input.allianceId, 'alliance', 'allianceId');
      const organization = await findOrFail(em, Organization, input.organizationId, 'organization', 'organizationId');
      if (await em.count(Membership, { alliance, organization })) {
        throw conflict(`${organization.name} is already a member of ${alliance.name}`);
      }
      const { allianceId: _a, organizationId: _o, ...fields } = input;
      const membership = em.create(Membership, {
        ...fields, id: makeId(alliance.region, 'membership'), region: alliance.region, alliance, organization,
      } as never);
      checkDates(membership);
      await em.flush();
      return membership;
    });
  }

  @Mutation(() => Membership)
  updateMembership(@Arg('input', () => UpdateMembershipInput) input: UpdateMembershipInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const membership = await findForUpdate(ctx, em, Membership, input.id, 'membership', input.version);
      applyPatch(membership, input);
      checkDates(membership);
      await em.flush();
      return membership;
    });
  }

  @Mutation(() => ID)
  deleteMembership(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      em.remove(await findForWrite(ctx, em, Membership, id, 'membership'));
      await em.flush();
      return id;
    });
  }
}

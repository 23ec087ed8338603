import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  applyPatch, assertNotBefore, conflict, findForUpdate, findForWrite, findOrFail, inTransaction, makeId, parseId, servesId,
  type SubgraphContext,
} from '../../kit/index.js';
import { Alliance } from '../entities/alliance.js';
import { Membership, heldOrganizationId } from '../entities/membership.js';
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

  @FieldResolver(() => Organization, {
    nullable: true,
    description: 'The member organisation, which may be of another region than the alliance; null while its region cannot be reached.',
  })
  organization(@Root() membership: Membership, @Ctx() ctx: SubgraphContext) {
    const id = heldOrganizationId(ctx, membership);
    return id === undefined ? null : ctx.loaders.recordById(Organization, id);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: 'Who represents the organisation in the alliance.' })
  representative(@Root() membership: Membership) {
    return personRef(membership.representativeId);
  }

  @Mutation(() => Membership, { description: 'Adds an organisation to an alliance (owned by the alliance\'s region).' })
  createMembership(@Arg('input', () => CreateMembershipInput) input: CreateMembershipInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const alliance = await findForWrite(ctx, em, Alliance, input.allianceId, 'alliance', 'allianceId');
      const { organizationId } = input;
      // An organisation of a region held here must be here; one of another region is checked by the
      // gateway at its own region's instance before the write is sent (routing.ts, `references`).
      const organization = servesId(ctx.regions, organizationId)
        ? await findOrFail(em, Organization, organizationId, 'organization', 'organizationId') : undefined;
      if (await em.count(Membership, { alliance, organizationId })) {
        throw conflict(`${organization?.name ?? organizationId} is already a member of ${alliance.name}`);
      }
      const { allianceId: _a, ...fields } = input;
      const membership = em.create(Membership, {
        ...fields, id: makeId(alliance.region, 'membership'), region: alliance.region, alliance,
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

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/index.js';
import { AllianceContacts } from '../entities/alliance-contacts.js';
import { Person } from '../entities/person.js';
import { Role } from '../entities/role.js';

const bySortKey = (a: Person, b: Person) =>
  a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** People with a current role in each alliance: one statement for any number of alliances. */
function contactsOf(ctx: SubgraphContext) {
  return ctx.loaders.custom('allianceContacts', async (allianceIds) => {
    const roles = await ctx.em.find(
      Role,
      { allianceId: { $in: [...allianceIds] }, until: null },
      { populate: ['person'], strategy: 'joined' },
    );
    const groups = new Map(allianceIds.map((id) => [id, new Map<string, Person>()]));
    for (const role of roles) groups.get(role.allianceId ?? '')?.set(role.person.id, role.person);
    return allianceIds.map((id) => [...groups.get(id)!.values()].sort(bySortKey));
  });
}

@Resolver(() => AllianceContacts)
export class AllianceContactsResolver {
  @FieldResolver(() => [Person], {
    nullable: true, description: 'People with a current role in this alliance, in family-name order; null while the owning region cannot be reached.',
  })
  contacts(@Root() alliance: AllianceContacts, @Ctx() ctx: SubgraphContext) {
    return contactsOf(ctx).load(alliance.id);
  }
}

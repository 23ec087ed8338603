import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/index.js';
import { AllianceContacts } from '../entities/alliance-contacts.js';
import { Person } from '../entities/person.js';
import { Role } from '../entities/role.js';

@Resolver(() => AllianceContacts)
export class AllianceContactsResolver {
  @FieldResolver(() => [Person], {
    nullable: true, description: 'People with a current role in this alliance, in family-name order; null while the owning region cannot be reached.',
  })
  contacts(@Root() alliance: AllianceContacts, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.linkedBy(Role, 'allianceId', { target: 'person', entity: Person, where: { until: null }, name: 'current' })
      .load(alliance.id);
  }
}

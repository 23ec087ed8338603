import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, ObjectType, Query, Resolver, Root, Info } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  canSeePersonalData, ConnectionType, PageArgs, paginate, parseId, whereAll, type SubgraphContext,
} from '../../kit/index.js';
import { ContactDetails, Person, displayName } from '../entities/person.js';
import { Role } from '../entities/role.js';
import { PersonFilter } from '../inputs/person.inputs.js';

@ObjectType()
export class PersonConnection extends ConnectionType(Person, 'Person') {}

function personWhere(filter: PersonFilter | undefined): FilterQuery<Person> {
  return whereAll<Person>(filter, filter?.roleKinds && { roles: { $some: { kind: { $in: filter.roleKinds } } } });
}

/** Current roles (no end date) first; within each group by start date. */
function currentFirst(roles: Role[]): Role[] {
  return [...roles].sort((a, b) => Number(a.until != null) - Number(b.until != null));
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, { description: 'People in family-name order, a page at a time.' })
  people(
    @Arg('filter', () => PersonFilter, { nullable: true }) filter: PersonFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return paginate({ em: ctx.em, entity: Person, where: personWhere(filter), sortBy: 'sortKey', page, info });
  }

  @Query(() => Person, { nullable: true })
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'person');
    return ctx.loaders.byId(Person).load(id);
  }

  @FieldResolver(() => String, { description: 'Display name: given name, then family name.' })
  name(@Root() person: Person): string {
    return displayName(person);
  }

  @FieldResolver(() => [Role], { description: 'Current roles first, then by start date.' })
  async roles(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<Role[]> {
    const loader = ctx.loaders.manyBy(Role, 'person', { orderBy: { since: 'asc nulls last', id: 'asc' } });
    return currentFirst(await loader.load(person.id));
  }

  @FieldResolver(() => ContactDetails, {
    nullable: true,
    description: 'How to reach the person: personal data, shown where they consented to a public listing '
      + 'and to editors and admins of their region; null otherwise.',
  })
  contact(@Root() person: Person, @Ctx() ctx: SubgraphContext): ContactDetails | null {
    if (person.consent?.publicListing !== true && !canSeePersonalData(ctx.viewer, person.region)) return null;
    const { contactEmail: email, contactPhone: phone, contactAddress: address } = person;
    if (email == null && phone == null && address == null) return null;
    return { email, phone, address };
  }
}

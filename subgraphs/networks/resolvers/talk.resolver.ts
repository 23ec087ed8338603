import { FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganizationRef, organizationRef } from '../entities/organization-ref.js';
import { PersonRef, personRef } from '../entities/person-ref.js';
import { Talk } from '../entities/talk.js';

@Resolver(() => Talk)
export class TalkResolver {
  @FieldResolver(() => PersonRef, { nullable: true, description: 'Who gave the talk, when the source names the person.' })
  speaker(@Root() talk: Talk) {
    return personRef(talk.speakerId);
  }

  @FieldResolver(() => OrganizationRef, { nullable: true, description: 'The organisation the talk was given for.' })
  organization(@Root() talk: Talk) {
    return organizationRef(talk.organizationId);
  }
}

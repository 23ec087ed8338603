import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Entity, ManyToOne, Property, Unique, Index } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity, servesId, type SubgraphContext } from '../../kit/index.js';
import { Alliance } from './alliance.js';

/** Declared so the schema generator knows the trigger (the migration creates it). */
const LOCAL_ORGANIZATION_EXISTS = `create function "membership_local_organization_exists"() returns trigger language plpgsql as $$
begin
  if left(new.organization_id, 2) = new.region
    and not exists (select 1 from "organization" where "id" = new.organization_id for key share) then
    raise exception using errcode = 'foreign_key_violation', constraint = 'membership_local_organization_exists',
      message = format('membership %s names organization %s of its own region, which does not exist', new.id, new.organization_id);
  end if;
  return new;
end $$;
create trigger "membership_local_organization_exists" before insert or update of "organization_id", "region" on "membership"
  for each row execute function "membership_local_organization_exists"();`;

@ObjectType({ description: 'An organisation\'s membership in an alliance.' })
@Directive('@key(fields: "id")')
@Entity({
  tableName: 'membership',
  // Where the organisation is of the membership's own region it is held here and must exist (see the migration of 2026-12-01).
  triggers: [{ name: 'membership_local_organization_exists', timing: 'before', events: ['insert', 'update'], expression: LOCAL_ORGANIZATION_EXISTS }],
})
@Unique({ properties: ['alliance', 'organizationId'] })
export class Membership extends RegionalEntity {
  @ManyToOne({ entity: () => Alliance, deleteRule: 'cascade' })
  alliance: Alliance;

  /**
   * The member organisation, of any region: one of another region is held by that region's
   * instance, not in this database, so this is its id rather than a relation.
   */
  @Field(() => ID, { description: 'The member organisation\'s id, also where another region holds it.' })
  @Directive('@inaccessible')
  @Index()
  @Property({ type: 'string', length: 120, collation: 'C' })
  organizationId: string;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  joinedOn?: string | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  leftOn?: string | null;

  @Field(() => PartialDate, { nullable: true, description: 'When the membership certificate (Mitgliedsurkunde) was handed over.' })
  @Property({ type: 'string', length: 10, nullable: true })
  certificateHandedOverOn?: string | null;

  /** A person in the people subgraph who represents the organisation in the alliance. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  representativeId?: string | null;
}

/**
 * The member organisation's id when its region is held here; another region's organisation is
 * not in this database: the gateway completes it from the instance of its region (declared in
 * routing.ts), reading organizationId.
 */
export function heldOrganizationId(ctx: Pick<SubgraphContext, 'regions'>, membership: Membership): string | undefined {
  return servesId(ctx.regions, membership.organizationId) ? membership.organizationId : undefined;
}

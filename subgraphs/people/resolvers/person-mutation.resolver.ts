import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  applyPatch, assertNotBefore, badInput, deleteUnreferenced, findForUpdate, findForWrite, inTransaction, makeId, newRecordId, ReferenceAction,
  REFERENCES_DESCRIPTION, type SubgraphContext,
} from '../../kit/index.js';
import { Person } from '../entities/person.js';
import { personReferrers } from '../referrers.js';
import { Role } from '../entities/role.js';
import {
  ConsentInput, ContactDetailsInput, CreatePersonInput, RoleInput, UpdatePersonInput,
} from '../inputs/person.inputs.js';

function checkRoles(roles: RoleInput[] | null | undefined): void {
  roles?.forEach((role, index) => {
    if (!role.allianceId && !role.networkId && !role.organizationId) {
      throw badInput(`roles.${index} must name an alliance, a network or an organisation`, `roles.${index}`);
    }
    assertNotBefore(role.until, role.since, `roles.${index}.until`);
  });
}

/** A public listing needs a documented consent: when it was given and where it is recorded. */
function checkConsent(consent: ConsentInput | null | undefined): void {
  if (!consent?.publicListing) return;
  if (!consent.recordedOn) throw badInput('consent.recordedOn is required when publicListing is true', 'consent.recordedOn');
  if (!consent.source) throw badInput('consent.source is required when publicListing is true', 'consent.source');
}

const contactColumns = (contact: ContactDetailsInput | null | undefined) => ({
  contactEmail: contact?.email ?? null,
  contactPhone: contact?.phone ?? null,
  contactAddress: contact?.address ?? null,
});

const consentColumns = (consent: ConsentInput | null | undefined) => ({
  publicListing: consent?.publicListing ?? false,
  recordedOn: consent?.recordedOn ?? null,
  source: consent?.source ?? null,
});

function addRoles(em: EntityManager, person: Person, roles: RoleInput[]): void {
  for (const role of roles) {
    em.create(Role, { ...role, id: makeId(person.region, 'role'), region: person.region, person } as never);
  }
}

@Resolver()
export class PersonMutationResolver {
  @Mutation(() => Person)
  createPerson(
    @Arg('input', () => CreatePersonInput) input: CreatePersonInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    checkRoles(input.roles);
    checkConsent(input.consent);
    return inTransaction(ctx, async (em) => {
      const person = em.create(Person, {
        id: newRecordId(ctx, input.region, 'person'), region: input.region, givenName: input.givenName ?? null,
        familyName: input.familyName, consent: consentColumns(input.consent), ...contactColumns(input.contact),
      } as never);
      addRoles(em, person, input.roles ?? []);
      await em.flush();
      return person;
    });
  }

  @Mutation(() => Person, { description: 'Changes the fields given; refuses a stale version with CONFLICT.' })
  updatePerson(
    @Arg('input', () => UpdatePersonInput) input: UpdatePersonInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    checkRoles(input.roles);
    checkConsent(input.consent);
    return inTransaction(ctx, async (em) => {
      const person = await findForUpdate(ctx, em, Person, input.id, 'person', input.version);
      applyPatch(person, input, { required: ['familyName'], skip: ['contact', 'consent', 'roles'] });
      if (input.contact !== undefined) Object.assign(person, contactColumns(input.contact));
      if (input.consent !== undefined) Object.assign(person.consent, consentColumns(input.consent));
      if (input.roles !== undefined) {
        await person.roles.init();
        person.roles.removeAll();
        addRoles(em, person, input.roles ?? []);
        // Roles live in their own rows; touching the person bumps its version for them too.
        person.updatedAt = new Date();
      }
      await em.flush();
      return person;
    });
  }

  @Mutation(() => ID, {
    description: 'Deletes the person with all their roles; returns the id. Refused with REFERENCED while memberships, talks or projects '
      + 'name them, unless references: REMOVE. For a request to erase personal data, use erasePerson.',
  })
  deletePerson(
    @Arg('id', () => ID) id: string,
    @Arg('references', () => ReferenceAction, { defaultValue: ReferenceAction.REFUSE, description: REFERENCES_DESCRIPTION }) references: ReferenceAction,
    @Ctx() ctx: SubgraphContext,
  ) {
    return deleteUnreferenced(ctx, personReferrers, id, references, (em) => findForWrite(ctx, em, Person, id, 'person'));
  }
}

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  FieldOfAction, ImportReport, assertNotBefore, cellDate, cellEnum, cellEnumList, cellText, changedFields, checkInput,
  makeId, runImport, servesId, sortKeyOf, type ImportAction, type Region, type RowProblems, type SubgraphContext,
} from '../../kit/index.js';
import { Alliance } from '../entities/alliance.js';
import { Membership } from '../entities/membership.js';
import { Organization } from '../entities/organization.js';
import { LegalForm, OrganizationKind } from '../enums.js';
import { CreateAllianceInput, MunicipalityInput } from '../inputs/alliance.inputs.js';
import { CreateOrganizationInput } from '../inputs/organization.inputs.js';
import { CreateMembershipInput } from '../inputs/membership.inputs.js';
import {
  AllianceImportInput, AllianceImportRow, MembershipImportInput, MembershipImportRow, OrganizationImportInput,
  OrganizationImportRow,
} from '../inputs/import.inputs.js';

const DESCRIPTION = 'Imports rows of a file into one region in one transaction: each row creates the record its natural key '
  + 'names or updates it; with any invalid row nothing is written and every row error is returned.';

/** Fields the row gives (undefined: absent, leave as stored). */
type Patch = Record<string, unknown>;

/** Records by name, compared as names are held unique (by sort key): "Buendnis" finds "Bündnis". */
class ByName<T extends { sortKey: string }> extends Map<string, T[]> {
  constructor(records: T[]) {
    super();
    for (const record of records) super.set(record.sortKey, [...(super.get(record.sortKey) ?? []), record]);
  }

  override get(name: string): T[] | undefined { return super.get(sortKeyOf(name)); }
  override has(name: string): boolean { return super.has(sortKeyOf(name)); }
}

/** Records of a region by the names rows give; the file's spelling of a name becomes the record's. */
async function byName<T extends { sortKey: string }>(
  em: EntityManager, entity: new () => T, region: Region, names: string[],
): Promise<Map<string, T[]>> {
  const keys = [...new Set(names.map(sortKeyOf))];
  const found = keys.length ? await em.find(entity as never, { region, sortKey: { $in: keys } } as never) as T[] : [];
  return new ByName(found);
}

/** Plans a create or an update of one natural-keyed record. */
function upsert<T extends object>(
  em: EntityManager, line: number, existing: T | undefined, patch: Patch, create: () => void,
): ImportAction {
  if (!existing) return { line, action: 'create', apply: create };
  const changed = changedFields(existing, patch);
  if (!changed.length) return { line, action: 'unchanged' };
  return { line, action: 'update', apply: () => em.assign(existing, Object.fromEntries(changed.map((key) => [key, patch[key]])) as never) };
}

function single<T>(problems: RowProblems, field: string, found: T[] | undefined, what: string): T | undefined {
  if (found && found.length > 1) problems.add(field, `${found.length} records are named ${what}; rename them so the name is unique`);
  return found?.length === 1 ? found[0] : undefined;
}

interface AllianceValue extends Patch { name: string; municipality?: string | null; ags?: string | null }

async function parseAlliance(row: AllianceImportRow, problems: RowProblems): Promise<AllianceValue | undefined> {
  const value: AllianceValue = {
    name: cellText(row.name) as string,
    municipality: cellText(row.municipality),
    ags: cellText(row.ags),
    foundedOn: cellDate(problems, 'foundedOn', row.foundedOn),
    legalForm: cellEnum(problems, 'legalForm', LegalForm, row.legalForm),
    goals: cellText(row.goals),
    website: cellText(row.website),
    fieldsOfAction: cellEnumList(problems, 'fieldsOfAction', FieldOfAction, row.fieldsOfAction),
  };
  if (!value.name) problems.add('name', 'name is required');
  if (value.ags && !value.municipality) problems.add('ags', 'ags needs the municipality\'s name (Gemeinde) in the same row');
  const check = Object.assign(new CreateAllianceInput(), {
    ...value, name: value.name ?? 'x', fieldsOfAction: value.fieldsOfAction ?? undefined,
    municipality: value.municipality ? Object.assign(new MunicipalityInput(), { name: value.municipality, ags: value.ags }) : undefined,
  });
  await checkInput(problems, check, { 'municipality.name': 'municipality', 'municipality.ags': 'ags' });
  return value.name ? value : undefined;
}

interface OrganizationValue extends Patch { name: string }

async function parseOrganization(row: OrganizationImportRow, problems: RowProblems): Promise<OrganizationValue | undefined> {
  const value: OrganizationValue = {
    name: cellText(row.name) as string,
    kind: cellEnum(problems, 'kind', OrganizationKind, row.kind),
    website: cellText(row.website),
    email: cellText(row.email),
    phone: cellText(row.phone),
  };
  if (!value.name) problems.add('name', 'name is required');
  if (row.kind !== undefined && value.kind === null) problems.add('kind', 'kind cannot be cleared');
  await checkInput(problems, Object.assign(new CreateOrganizationInput(), { ...value, name: value.name ?? 'x' }));
  return value.name ? value : undefined;
}

interface MembershipValue extends Patch { alliance: string; organization?: string | null; organizationId?: string | null }

async function parseMembership(row: MembershipImportRow, problems: RowProblems): Promise<MembershipValue | undefined> {
  const value: MembershipValue = {
    alliance: cellText(row.alliance) as string,
    organization: cellText(row.organization),
    organizationId: cellText(row.organizationId),
    joinedOn: cellDate(problems, 'joinedOn', row.joinedOn),
    leftOn: cellDate(problems, 'leftOn', row.leftOn),
    certificateHandedOverOn: cellDate(problems, 'certificateHandedOverOn', row.certificateHandedOverOn),
    representativeId: cellText(row.representativeId),
  };
  if (!value.alliance) problems.add('alliance', 'alliance (the alliance\'s name) is required');
  if (!value.organization && !value.organizationId) {
    problems.add('organization', 'organization (the organisation\'s name, or its organizationId for one of another region) is required');
  }
  await checkInput(problems, Object.assign(new CreateMembershipInput(), {
    allianceId: 'SL:alliance:x', organizationId: value.organizationId ?? 'SL:organization:x', representativeId: value.representativeId,
    joinedOn: value.joinedOn, leftOn: value.leftOn, certificateHandedOverOn: value.certificateHandedOverOn,
  }));
  return value.alliance && (value.organization || value.organizationId) ? value : undefined;
}

@Resolver()
export class AllianceImportResolver {
  @Mutation(() => ImportReport, { description: `${DESCRIPTION} Alliances match by (region, name).` })
  importAlliances(@Arg('input', () => AllianceImportInput) input: AllianceImportInput, @Ctx() ctx: SubgraphContext) {
    return runImport(ctx, input, {
      parse: parseAlliance,
      key: (value) => sortKeyOf(value.name),
      describe: (value) => `alliance "${value.name}"`,
      async plan(em, rows, region) {
        const existing = await byName(em, Alliance, region, rows.map((r) => r.value.name));
        return rows.flatMap(({ line, value, problems }) => {
          const alliance = single(problems, 'name', existing.get(value.name), `"${value.name}"`);
          if (problems.errors.length) return [];
          const { municipality, ags, ...patch } = value;
          if (municipality !== undefined) {
            // AGS left out of the file: kept while the municipality stays the same.
            const keptAgs = alliance?.municipality?.name === municipality ? alliance.municipality.ags ?? null : null;
            patch.municipality = municipality ? { name: municipality, ags: ags !== undefined ? ags : keptAgs } : null;
          }
          return [upsert(em, line, alliance, patch, () => {
            em.create(Alliance, { ...patch, fieldsOfAction: patch.fieldsOfAction ?? [], id: makeId(region, 'alliance'), region } as never);
          })];
        });
      },
    });
  }

  @Mutation(() => ImportReport, { description: `${DESCRIPTION} Organisations match by (region, name).` })
  importOrganizations(@Arg('input', () => OrganizationImportInput) input: OrganizationImportInput, @Ctx() ctx: SubgraphContext) {
    return runImport(ctx, input, {
      parse: parseOrganization,
      key: (value) => sortKeyOf(value.name),
      describe: (value) => `organization "${value.name}"`,
      async plan(em, rows, region) {
        const existing = await byName(em, Organization, region, rows.map((r) => r.value.name));
        return rows.flatMap(({ line, value, problems }) => {
          const organization = single(problems, 'name', existing.get(value.name), `"${value.name}"`);
          if (!organization && !value.kind && !problems.errors.some((e) => e.field === 'kind')) problems.add('kind', `kind is required for the new organization "${value.name}"`);
          if (problems.errors.length) return [];
          return [upsert(em, line, organization, value, () => {
            em.create(Organization, { ...value, id: makeId(region, 'organization'), region } as never);
          })];
        });
      },
    });
  }

  @Mutation(() => ImportReport, {
    description: `${DESCRIPTION} Memberships match by (alliance, organization), both named as in the region, or by (alliance, organizationId) `
      + 'for an organisation of any region.',
  })
  importMemberships(@Arg('input', () => MembershipImportInput) input: MembershipImportInput, @Ctx() ctx: SubgraphContext) {
    return runImport(ctx, input, {
      parse: parseMembership,
      // An organisation by id (any region's; another region's is checked by the gateway) or by name in the region.
      key: (value) => `${sortKeyOf(value.alliance)}\u0000${value.organizationId ?? sortKeyOf(value.organization!)}`,
      describe: (value) => `the membership of "${value.organizationId ?? value.organization}" in "${value.alliance}"`,
      async plan(em, rows, region) {
        const alliances = await byName(em, Alliance, region, rows.map((r) => r.value.alliance));
        const named = rows.flatMap((r) => (r.value.organizationId ? [] : [r.value.organization!]));
        const organizations = await byName(em, Organization, region, named);
        const localIds = rows.flatMap((r) => (r.value.organizationId && servesId(ctx.regions, r.value.organizationId) ? [r.value.organizationId] : []));
        const held = new Set(localIds.length ? (await em.find(Organization, { id: { $in: localIds } })).map((o) => o.id) : []);
        const found = [...alliances.values()].flat();
        const memberships = found.length ? await em.find(Membership, { alliance: { $in: found } }) : [];
        return rows.flatMap(({ line, value, problems }) => {
          const { alliance: allianceName, organization: organizationName, organizationId: givenId, ...patch } = value;
          const alliance = single(problems, 'alliance', alliances.get(allianceName), `"${allianceName}"`);
          if (!alliances.has(allianceName)) problems.add('alliance', `there is no alliance "${allianceName}" in ${region}; import it first`);
          let organizationId = givenId ?? undefined;
          if (organizationId) {
            if (servesId(ctx.regions, organizationId) && !held.has(organizationId)) {
              problems.add('organizationId', `there is no organization "${organizationId}"; import it first`);
            }
          } else {
            organizationId = single(problems, 'organization', organizations.get(organizationName!), `"${organizationName}"`)?.id;
            if (!organizations.has(organizationName!)) {
              problems.add('organization', `there is no organization "${organizationName}" in ${region}; import it first`);
            }
          }
          if (!alliance || !organizationId) return [];
          const membership = memberships.find((m) => m.alliance.id === alliance.id && m.organizationId === organizationId);
          const merged = (key: string) => (patch[key] !== undefined ? patch[key] : (membership as never)?.[key]) as string | null;
          try {
            assertNotBefore(merged('leftOn'), merged('joinedOn'), 'leftOn');
          } catch (error) {
            problems.add('leftOn', (error as Error).message);
          }
          if (problems.errors.length) return [];
          return [upsert(em, line, membership, patch, () => {
            em.create(Membership, { ...patch, id: makeId(region, 'membership'), region, alliance, organizationId } as never);
          })];
        });
      },
    });
  }
}

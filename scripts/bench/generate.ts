/**
 * National-scale benchmark data: every state plus DE, about 700 alliances, 25,000 organisations,
 * 40,000 memberships, 6,000 projects, 5,000 people with roles, networks with meetings and talks.
 * Everything follows from `--seed` (same seed → identical rows, ids included).
 *
 *   npm run generate -- --url postgres://user:pw@host:port/ [--seed 1] [--scale 0.1] [--layout regional|single|both]
 *
 * Without --url an embedded PostgreSQL is started on port 54400 (data under .pgdata/bench, kept).
 * It (re)creates the databases `<prefix>_<subgraph>_<region>` (layout regional: one per subgraph
 * and region, 68 in all) and/or `<prefix>_<subgraph>_all` (layout single: one per subgraph with
 * every region), applies the migrations with the kit's `initOrm`/`migrate` and inserts in batches
 * with `em.insertMany` (no unit of work: no audit entries for the bulk data, sort keys computed here).
 * Each database it makes carries a comment (GENERATED_MARKER); the command replaces only databases
 * with that mark and stops, dropping nothing, when one of the names is taken by another's database.
 */
import './quiet.js';
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { z } from 'zod';
import { Faker, base, de } from '@faker-js/faker';
import type { EntityClass } from '@mikro-orm/core';
import { FieldOfAction, REGIONS, Region, initOrm, isFuturePartialDate, migrate, postgresUrl, sortKeyOf, type SubgraphName } from '../../subgraphs/kit/index.js';
import { CommandError, runCommand, type CommandSpec } from '../../subgraphs/kit/cli.js';
import { progressDisplay } from '../lib/progress.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { Alliance } from '../../subgraphs/alliances/entities/alliance.js';
import { Organization } from '../../subgraphs/alliances/entities/organization.js';
import { Membership } from '../../subgraphs/alliances/entities/membership.js';
import { LegalForm, OrganizationKind } from '../../subgraphs/alliances/enums.js';
import { Network } from '../../subgraphs/networks/entities/network.js';
import { NetworkMember } from '../../subgraphs/networks/entities/network-member.js';
import { NetworkPartner } from '../../subgraphs/networks/entities/network-partner.js';
import { Meeting } from '../../subgraphs/networks/entities/meeting.js';
import { Talk } from '../../subgraphs/networks/entities/talk.js';
import { NetworkKind } from '../../subgraphs/networks/enums.js';
import { Project } from '../../subgraphs/projects/entities/project.js';
import { FundingLine, mainLine, type RankedLine } from '../../subgraphs/projects/entities/funding-line.js';
import { FundingProgramme, ProjectStatus } from '../../subgraphs/projects/enums.js';
import { Person } from '../../subgraphs/people/entities/person.js';
import { Role } from '../../subgraphs/people/entities/role.js';
import { RoleKind } from '../../subgraphs/people/enums.js';

type Row = Record<string, unknown> & { id: string; region: Region };

/** Population in millions (2023), DE (federal bodies) given a small share of its own. */
export const POPULATION: Record<Region, number> = {
  BW: 11.28, BY: 13.37, BE: 3.76, BB: 2.57, HB: 0.69, HH: 1.89, HE: 6.39, MV: 1.63, NI: 8.14,
  NW: 18.14, RP: 4.16, SL: 0.99, SN: 4.09, ST: 2.19, SH: 2.95, TH: 2.13, DE: 0.6,
};
/** First two digits of the Amtlicher Gemeindeschlüssel. */
const AGS_STATE: Partial<Record<Region, string>> = {
  SH: '01', HH: '02', NI: '03', HB: '04', NW: '05', HE: '06', RP: '07', BW: '08', BY: '09', SL: '10',
  BE: '11', BB: '12', MV: '13', SN: '14', ST: '15', TH: '16',
};
const STATE_NAME: Record<Region, string> = {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg', HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern', NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen', RP: 'Rheinland-Pfalz', SL: 'Saarland',
  SN: 'Sachsen', ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein', TH: 'Thüringen', DE: 'Bund',
};
export const BASE_COUNTS = { alliances: 700, organizations: 25_000, memberships: 40_000, projects: 6_000, people: 5_000 };

export interface Dataset {
  seed: number;
  scale: number;
  /** Rows per subgraph and entity, in insertion order (parents first). */
  rows: Record<SubgraphName, { entity: EntityClass<object>; name: string; rows: Row[] }[]>;
  /** Ids the benchmark operations use. */
  ids: { bigNetwork: string; smallNetwork: string; federalRegion: Region };
}

const KIND_WEIGHTS: [OrganizationKind, number][] = [
  [OrganizationKind.COMPANY, 30], [OrganizationKind.ASSOCIATION, 14], [OrganizationKind.WELFARE_ASSOCIATION, 8],
  [OrganizationKind.CHILDCARE_PROVIDER, 8], [OrganizationKind.CHURCH, 7], [OrganizationKind.MUNICIPALITY, 6],
  [OrganizationKind.COUNSELLING_SERVICE, 4], [OrganizationKind.FAMILY_CENTRE, 4], [OrganizationKind.FOUNDATION, 3],
  [OrganizationKind.CHAMBER, 2], [OrganizationKind.EMPLOYMENT_AGENCY, 2], [OrganizationKind.JOB_CENTRE, 2],
  [OrganizationKind.EMPLOYERS_ASSOCIATION, 2], [OrganizationKind.HOSPITAL, 2], [OrganizationKind.PUBLIC_BODY, 2],
  [OrganizationKind.UNIVERSITY, 1], [OrganizationKind.RESEARCH_INSTITUTE, 0.5], [OrganizationKind.MINISTRY, 0.3],
  [OrganizationKind.OTHER, 2],
];
const FIELD_WEIGHTS: [FieldOfAction, number][] = [
  [FieldOfAction.WORK_LIFE_BALANCE, 30], [FieldOfAction.CHILDCARE, 25], [FieldOfAction.CARE, 12],
  [FieldOfAction.FAMILY_EDUCATION, 10], [FieldOfAction.HEALTH, 6], [FieldOfAction.LIVING_ENVIRONMENT, 5],
  [FieldOfAction.SCHOOL_AND_EDUCATION, 6], [FieldOfAction.GENERATIONS, 6], [FieldOfAction.INTEGRATION, 5],
  [FieldOfAction.POVERTY_PREVENTION, 4], [FieldOfAction.CIVIC_ENGAGEMENT, 4], [FieldOfAction.FAMILY_SERVICES, 8],
  [FieldOfAction.FAMILY_FRIENDLY_EMPLOYERS, 12],
];
const PROJECT_TITLES = [
  'Ferienbetreuung', 'Kinderbetreuung in Randzeiten', 'Familienpass', 'Pflegelotsen im Betrieb', 'Wiedereinstieg nach der Elternzeit',
  'Familienfreundlicher Arbeitgeber', 'Babysitterbörse', 'Väterfrühstück', 'Leihgroßeltern', 'Familienwegweiser',
  'Teilzeitausbildung für junge Eltern', 'Notfallbetreuung für Kinder', 'Familiensporttag', 'Still- und Wickelpunkte',
  'Elterncafé', 'Pflege und Beruf vereinbaren', 'Familienzeit im Quartier', 'Sprachpaten für Familien', 'Familienservicebüro',
  'Mehrgenerationentreff', 'Elternkompetenzkurse', 'Betriebliche Kinderbetreuung', 'Ferienspiele', 'Familienkarte',
];
const TOPICS = [
  'Vereinbarkeit von Familie und Beruf', 'Kinderbetreuung', 'Pflege von Angehörigen', 'Familienfreundliche Unternehmen',
  'Alleinerziehende', 'Fachkräftesicherung', 'Familienbildung', 'Armutsprävention', 'Digitalisierung', 'Väter',
  'Ehrenamt', 'Integration', 'Wohnen und Wohnumfeld', 'Gesundheit', 'Öffentlichkeitsarbeit der Bündnisse',
];

/** Slug for id keys: ASCII letters, digits and dashes. */
function slug(text: string, max = 40): string {
  return sortKeyOf(text).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x';
}

/** Splits `total` over the regions by population, every region getting at least `min`. */
export function byPopulation(total: number, min = 1): Record<Region, number> {
  const sum = REGIONS.reduce((s, r) => s + POPULATION[r], 0);
  const exact = REGIONS.map((r) => ({ r, v: Math.max(min, (total * POPULATION[r]) / sum) }));
  const result = Object.fromEntries(exact.map(({ r, v }) => [r, Math.floor(v)])) as Record<Region, number>;
  let rest = Math.max(0, total - Object.values(result).reduce((s, n) => s + n, 0));
  for (const { r } of [...exact].sort((a, b) => (b.v % 1) - (a.v % 1) || a.r.localeCompare(b.r))) {
    if (rest-- <= 0) break;
    result[r] += 1;
  }
  return result;
}

/** Builds the whole dataset in memory; deterministic in (seed, scale). */
export function generateDataset(options: { seed: number; scale: number }): Dataset {
  const { seed, scale } = options;
  const f = new Faker({ locale: [de, base] });
  f.seed(seed);
  const pick = <T>(list: readonly T[]): T => list[f.number.int({ min: 0, max: list.length - 1 })];
  const weighted = <T>(items: [T, number][]): T => f.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
  const chance = (p: number) => f.number.float({ min: 0, max: 1 }) < p;
  const int = (min: number, max: number) => f.number.int({ min, max });
  const year = (min: number, max: number) => int(min, max);
  /** A PartialDate as precise as a source would say: a year, a month or a day. */
  const partialDate = (from: number, to: number) => {
    const y = year(from, to);
    const precision = f.number.int({ min: 0, max: 9 });
    if (precision < 3) return String(y);
    const m = String(int(1, 12)).padStart(2, '0');
    if (precision < 6) return pastOrYear(`${y}-${m}`);
    return pastOrYear(`${y}-${m}-${String(int(1, 28)).padStart(2, '0')}`);
  };
  // The API refuses dates after today where they record what happened: this year's stay years.
  const pastOrYear = (date: string) => (isFuturePartialDate(date) ? date.slice(0, 4) : date);
  // Names are unique per region (as the API holds them): a repeated one gets a number.
  const takenNames = new Map<string, Set<string>>();
  const uniqueName = (scope: string, name: string) => {
    const taken = takenNames.get(scope) ?? takenNames.set(scope, new Set()).get(scope)!;
    let candidate = name;
    for (let n = 2; taken.has(sortKeyOf(candidate)); n++) candidate = `${name} ${n}`;
    taken.add(sortKeyOf(candidate));
    return candidate;
  };
  const fields = (min: number, max: number) => {
    const chosen = new Set<FieldOfAction>();
    const n = int(min, max);
    while (chosen.size < n) chosen.add(weighted(FIELD_WEIGHTS));
    return [...chosen];
  };
  const stamp = new Date('2026-11-25T00:00:00Z');
  const common = { version: 1, createdAt: stamp, updatedAt: stamp };
  const counts = (base: number) => byPopulation(Math.max(REGIONS.length, Math.round(base * scale)));

  // Towns: a pool of municipality names per region (faker de).
  const allianceCount = counts(BASE_COUNTS.alliances);
  const towns = new Map<Region, { name: string; ags: string | null }[]>();
  for (const region of REGIONS) {
    const list: { name: string; ags: string | null }[] = [];
    for (let i = 0; i < allianceCount[region] + 5; i++) {
      const name = region === 'BE' || region === 'HH' || region === 'HB' ? `${STATE_NAME[region]}-${f.location.city()}` : f.location.city();
      list.push({ name, ags: AGS_STATE[region] ? `${AGS_STATE[region]}${String(int(0, 999999)).padStart(6, '0')}` : null });
    }
    towns.set(region, list);
  }

  // ---- alliances, organisations, memberships
  const alliances: Row[] = [];
  const alliancesOf = new Map<Region, Row[]>();
  for (const region of REGIONS) {
    const list: Row[] = [];
    for (let i = 0; i < allianceCount[region]; i++) {
      const town = towns.get(region)![i];
      const drawn = region === 'DE'
        ? `${pick(['Bundesweites Bündnis', 'Unternehmensnetzwerk', 'Initiative'])} ${pick(['Erfolgsfaktor Familie', 'Familie und Pflege', 'Familienfreundliche Regionen', 'Väter und Beruf'])} ${i + 1}`
        : weighted<string>([
          [`Lokales Bündnis für Familie ${town.name}`, 50], [`Bündnis für Familie ${town.name}`, 25],
          [`Familienbündnis ${town.name}`, 10], [`Lokales Bündnis für Familien im Landkreis ${town.name}`, 10],
          [`Netzwerk Familie ${town.name}`, 5],
        ]);
      const name = uniqueName(`alliance:${region}`, drawn);
      const fa = fields(2, 6);
      const row: Row = {
        id: `${region}:alliance:${slug(name)}-${i.toString(36)}`, region, name, sortKey: sortKeyOf(name),
        municipality: region === 'DE' ? null : { name: town.name, ags: town.ags },
        foundedOn: chance(0.85) ? partialDate(f.helpers.weightedArrayElement([{ value: 2004, weight: 6 }, { value: 2007, weight: 3 }, { value: 2012, weight: 1 }]), 2022) : null,
        legalForm: weighted<LegalForm | null>([[LegalForm.INFORMAL_CIRCLE, 50], [LegalForm.WORKING_GROUP, 20], [LegalForm.REGISTERED_ASSOCIATION, 15], [LegalForm.OTHER, 5], [null, 10]]),
        goals: chance(0.7) ? `Das Bündnis setzt sich in ${town.name} für ${fa.slice(0, 2).map((x) => x.toLowerCase().replace(/_/g, ' ')).join(' und ')} ein. ${f.lorem.sentence()}` : null,
        website: chance(0.6) ? `https://www.${slug(town.name, 30)}.de/buendnis-fuer-familie` : null,
        fieldsOfAction: fa,
        workingGroups: Array.from({ length: int(0, 3) }, () => { const w = weighted(FIELD_WEIGHTS); return { name: `AG ${w.toLowerCase().replace(/_/g, ' ')}`, fieldOfAction: w }; }),
        ...common,
      };
      list.push(row);
      alliances.push(row);
    }
    alliancesOf.set(region, list);
  }

  const orgCount = counts(BASE_COUNTS.organizations);
  const organizations: Row[] = [];
  const orgsOf = new Map<Region, Row[]>();
  const orgName = (kind: OrganizationKind, town: string): string => {
    switch (kind) {
      case OrganizationKind.MUNICIPALITY: return `${pick(['Stadt', 'Gemeinde', 'Landkreis', 'Verbandsgemeinde'])} ${town}`;
      case OrganizationKind.COMPANY: return f.company.name();
      case OrganizationKind.EMPLOYMENT_AGENCY: return `Agentur für Arbeit ${town}`;
      case OrganizationKind.JOB_CENTRE: return `Jobcenter ${town}`;
      case OrganizationKind.CHAMBER: return `${pick(['IHK', 'Handwerkskammer', 'Kreishandwerkerschaft'])} ${town}`;
      case OrganizationKind.CHURCH: return pick([`Ev. Kirchengemeinde ${town}`, `Kath. Pfarrei St. ${f.person.firstName()} ${town}`]);
      case OrganizationKind.WELFARE_ASSOCIATION: return `${pick(['AWO Kreisverband', 'Caritasverband', 'Diakonie', 'DRK Kreisverband', 'Der Paritätische'])} ${town}`;
      case OrganizationKind.ASSOCIATION: return `${pick(['Förderverein', 'Familienverein', 'Kinderschutzbund', 'Elternverein', 'Bürgerverein'])} ${town} e. V.`;
      case OrganizationKind.EMPLOYERS_ASSOCIATION: return `${pick(['Arbeitgeberverband', 'Unternehmerverband', 'Wirtschaftsjunioren'])} ${town}`;
      case OrganizationKind.FOUNDATION: return `${f.person.lastName()}-Stiftung`;
      case OrganizationKind.UNIVERSITY: return `Hochschule ${town}`;
      case OrganizationKind.HOSPITAL: return `Klinikum ${town}`;
      case OrganizationKind.MINISTRY: return `Ministerium für Familie, ${pick(['Jugend', 'Soziales', 'Frauen'])} und ${pick(['Integration', 'Gesundheit', 'Senioren'])}`;
      case OrganizationKind.PUBLIC_BODY: return `${pick(['Gleichstellungsstelle', 'Familienbüro', 'Servicestelle Familie'])} ${town}`;
      case OrganizationKind.RESEARCH_INSTITUTE: return `Institut für Familienforschung ${town}`;
      case OrganizationKind.CHILDCARE_PROVIDER: return `Kita ${pick(['Sonnenschein', 'Regenbogen', 'Pusteblume', 'Kunterbunt', 'Löwenzahn'])} ${town}`;
      case OrganizationKind.COUNSELLING_SERVICE: return `Beratungsstelle für Eltern, Kinder und Jugendliche ${town}`;
      case OrganizationKind.FAMILY_CENTRE: return `Familienzentrum ${town}`;
      default: return `${f.company.name()} ${town}`;
    }
  };
  for (const region of REGIONS) {
    const list: Row[] = [];
    const regionTowns = towns.get(region)!;
    for (let i = 0; i < orgCount[region]; i++) {
      const kind = weighted(KIND_WEIGHTS);
      const town = regionTowns[i % Math.max(1, alliancesOf.get(region)!.length)].name;
      const name = uniqueName(`organization:${region}`, orgName(kind, town));
      const row: Row = {
        id: `${region}:organization:${slug(name)}-${i.toString(36)}`, region, name, sortKey: sortKeyOf(name), kind,
        website: chance(0.4) ? `https://www.${slug(name, 30)}.de` : null,
        email: chance(0.3) ? `info@${slug(name, 30)}.de` : null,
        phone: chance(0.3) ? f.phone.number() : null,
        ...common,
      };
      list.push(row);
      organizations.push(row);
    }
    orgsOf.set(region, list);
  }

  // People first (representatives, contacts and speakers refer to them), roles after.
  const peopleCount = counts(BASE_COUNTS.people);
  const people: Row[] = [];
  const peopleOf = new Map<Region, Row[]>();
  for (const region of REGIONS) {
    const list: Row[] = [];
    for (let i = 0; i < peopleCount[region]; i++) {
      const givenName = f.person.firstName();
      const familyName = f.person.lastName();
      const listed = chance(0.3);
      const row: Row = {
        id: `${region}:person:${slug(`${givenName} ${familyName}`)}-${i.toString(36)}`, region, givenName, familyName,
        sortKey: sortKeyOf(`${familyName} ${givenName}`),
        consent: listed
          ? { publicListing: true, recordedOn: partialDate(2018, 2026), source: 'Einwilligungserklärung (Formular Bündnis-Hub)' }
          : { publicListing: false, recordedOn: null, source: null },
        contactEmail: chance(0.7) ? f.internet.email({ firstName: givenName, lastName: familyName }).toLowerCase() : null,
        contactPhone: chance(0.5) ? f.phone.number() : null,
        contactAddress: chance(0.3) ? `${f.location.street()} ${int(1, 120)}, ${f.location.zipCode()} ${pick(towns.get(region)!).name}` : null,
        ...common,
      };
      list.push(row);
      people.push(row);
    }
    peopleOf.set(region, list);
  }
  const roles: Row[] = [];
  const role = (person: Row, fields: Partial<Row>) => {
    roles.push({
      id: `${person.region}:role:r${roles.length.toString(36)}`, region: person.region, person: person.id,
      kind: RoleKind.CONTACT, title: null, allianceId: null, networkId: null, organizationId: null,
      since: chance(0.6) ? partialDate(2005, 2025) : null, until: null, ...common, ...fields,
    } as Row);
  };

  const membershipCount = counts(BASE_COUNTS.memberships);
  const memberships: Row[] = [];
  for (const region of REGIONS) {
    const regionAlliances = alliancesOf.get(region)!;
    const regionOrgs = orgsOf.get(region)!;
    const target = membershipCount[region];
    const pairs = new Set<string>();
    // Each organisation joins the alliance of its town first; the rest are drawn at random.
    const add = (alliance: Row, organization: Row) => {
      const key = `${alliance.id}|${organization.id}`;
      if (pairs.has(key)) return;
      pairs.add(key);
      const joinedOn = chance(0.8) ? partialDate(Number(String(alliance.foundedOn ?? '2004').slice(0, 4)), 2026) : null;
      const representative = chance(0.08) ? pick(peopleOf.get(region)!) : null;
      memberships.push({
        id: `${region}:membership:m${memberships.length.toString(36)}`, region, alliance: alliance.id, organizationId: organization.id,
        joinedOn, leftOn: chance(0.05) ? partialDate(2020, 2026) : null,
        certificateHandedOverOn: chance(0.2) ? joinedOn : null, representativeId: representative?.id ?? null, ...common,
      });
      if (representative) {
        role(representative, { kind: RoleKind.REPRESENTATIVE, allianceId: alliance.id, organizationId: organization.id, title: pick(['Geschäftsführung', 'Personalleitung', 'Vorstand', 'Referentin für Familie', 'Gleichstellungsbeauftragte']) });
      }
    };
    regionOrgs.forEach((organization, i) => { if (memberships.length < 1e9 && pairs.size < target) add(regionAlliances[i % regionAlliances.length], organization); });
    let guard = 0;
    while (pairs.size < Math.min(target, regionAlliances.length * regionOrgs.length) && guard++ < target * 5) add(pick(regionAlliances), pick(regionOrgs));
  }
  // Members from other regions: federal bodies and national employers (DE) in alliances of several
  // states, and a few chambers in alliances of a neighbouring state. Each lives with its alliance.
  const crossRegion = (organization: Row, regions: Region[]) => {
    for (const region of regions) {
      const alliance = pick(alliancesOf.get(region)!);
      memberships.push({
        id: `${region}:membership:x${memberships.length.toString(36)}`, region, alliance: alliance.id, organizationId: organization.id,
        joinedOn: chance(0.8) ? partialDate(2010, 2026) : null, leftOn: null, certificateHandedOverOn: null, representativeId: null, ...common,
      });
    }
  };
  const memberStates = REGIONS.filter((r) => r !== Region.DE && alliancesOf.get(r)!.length > 0);
  const federalKinds: unknown[] = [OrganizationKind.PUBLIC_BODY, OrganizationKind.MINISTRY, OrganizationKind.EMPLOYMENT_AGENCY, OrganizationKind.COMPANY];
  const national = [...orgsOf.get(Region.DE)!].sort((a, b) => Number(!federalKinds.includes(a.kind)) - Number(!federalKinds.includes(b.kind)));
  for (const organization of national.slice(0, Math.max(2, Math.round(40 * scale)))) {
    crossRegion(organization, [...new Set(Array.from({ length: int(2, 5) }, () => pick(memberStates)))]);
  }
  for (const state of memberStates) {
    const chamber = orgsOf.get(state)!.find((o) => o.kind === OrganizationKind.CHAMBER);
    const neighbour = memberStates[(memberStates.indexOf(state) + 1) % memberStates.length];
    if (chamber && chance(0.5)) crossRegion(chamber, [neighbour]);
  }
  // Coordinators and contacts of every alliance, from its region.
  for (const alliance of alliances) {
    const pool = peopleOf.get(alliance.region)!;
    role(pick(pool), { kind: RoleKind.COORDINATOR, allianceId: alliance.id, title: 'Bündniskoordination' });
    for (let i = int(0, 2); i > 0; i--) role(pick(pool), { kind: RoleKind.CONTACT, allianceId: alliance.id });
    if (chance(0.1)) role(pick(pool), { kind: RoleKind.CONTACT, allianceId: alliance.id, until: partialDate(2015, 2024) });
  }

  // ---- networks: a Landesnetzwerk or ARGE per state, regional cooperations (some across a border), federal networks.
  const networks: Row[] = [];
  const networkMembers: Row[] = [];
  const networkPartners: Row[] = [];
  const meetings: Row[] = [];
  const talks: Row[] = [];
  const addNetwork = (region: Region, key: string, name: string, kind: NetworkKind, members: Row[], description: string | null) => {
    const coordinator = chance(0.7) ? pick(orgsOf.get(region)!) : null;
    const network: Row = {
      id: `${region}:network:${key}`, region, name, sortKey: sortKeyOf(name), kind, description,
      website: chance(0.5) ? `https://www.${slug(name, 30)}.de` : null, coordinatingBodyId: coordinator?.id ?? null, ...common,
    };
    networks.push(network);
    const seen = new Set<string>();
    for (const alliance of members) {
      if (seen.has(alliance.id)) continue;
      seen.add(alliance.id);
      networkMembers.push({
        id: `${region}:networkMember:${key.slice(0, 30)}-${seen.size.toString(36)}`, region, network: network.id, allianceId: alliance.id,
        since: chance(0.8) ? partialDate(2005, 2025) : null, until: chance(0.03) ? partialDate(2020, 2026) : null, ...common,
      });
    }
    for (let i = int(0, 4); i > 0; i--) {
      networkPartners.push({
        id: `${region}:networkPartner:${key.slice(0, 30)}-${i}`, region, network: network.id, organizationId: pick(orgsOf.get(region)!).id,
        role: pick(['Partner', 'Veranstalter', 'Förderer', null]), since: chance(0.5) ? partialDate(2008, 2025) : null, ...common,
      });
    }
    const meetingCount = kind === NetworkKind.REGIONAL_COOPERATION ? int(1, 4) : int(4, 16);
    for (let n = 1; n <= meetingCount; n++) {
      const place = pick(towns.get(region)!).name;
      const meeting: Row = {
        id: `${region}:meeting:${key.slice(0, 30)}-${n}`, region, network: network.id, number: n,
        title: kind === NetworkKind.REGIONAL_COOPERATION ? `Netzwerktreffen ${n}` : `${n}. ${kind === NetworkKind.FEDERAL ? 'Bundesnetzwerktreffen' : 'Landesnetzwerktreffen'}`,
        date: partialDate(2008 + Math.floor((n * 14) / meetingCount), 2008 + Math.floor((n * 14) / meetingCount)), place,
        topics: f.helpers.arrayElements(TOPICS, { min: 2, max: 5 }), ...common,
      };
      meetings.push(meeting);
      for (let t = 1, count = int(2, 5); t <= count; t++) {
        const speaker = chance(0.7) ? pick(peopleOf.get(region)!) : null;
        if (speaker) role(speaker, { kind: RoleKind.SPEAKER, networkId: network.id, since: meeting.date as string });
        talks.push({
          id: `${region}:talk:${key.slice(0, 30)}-${n}-${t}`, region, meeting: meeting.id, position: t,
          title: `${pick(['Impulsvortrag', 'Praxisbeispiel', 'Workshop', 'Erfahrungsbericht', 'Podiumsdiskussion'])}: ${pick(TOPICS)}`,
          speakerId: speaker?.id ?? null, organizationId: chance(0.6) ? pick(orgsOf.get(region)!).id : null, ...common,
        });
      }
    }
    return network;
  };
  const states = REGIONS.filter((r) => r !== 'DE');
  for (const [index, region] of states.entries()) {
    const own = alliancesOf.get(region)!;
    const arge = region === 'BW' || region === 'RP';
    addNetwork(region, arge ? 'arge-netzwerk-familie' : 'landesnetzwerk', arge ? `ARGE Netzwerk Familie ${STATE_NAME[region]}` : `Landesnetzwerk Lokale Bündnisse für Familie ${STATE_NAME[region]}`,
      arge ? NetworkKind.ARGE : NetworkKind.LANDESNETZWERK, own.filter(() => chance(0.6)), `Vernetzt die Lokalen Bündnisse für Familie in ${STATE_NAME[region]}.`);
    const neighbour = states[(index + 1) % states.length];
    for (let c = 1, count = Math.max(1, Math.round(own.length / 15)); c <= count; c++) {
      const members = [...f.helpers.arrayElements(own, { min: 1, max: Math.min(8, own.length) }),
        ...(chance(0.4) ? f.helpers.arrayElements(alliancesOf.get(neighbour)!, { min: 1, max: Math.min(3, alliancesOf.get(neighbour)!.length) }) : [])];
      addNetwork(region, `kooperation-${c}`, `Regionale Kooperation ${pick(towns.get(region)!).name}`, NetworkKind.REGIONAL_COOPERATION, members, null);
    }
  }
  const bigNetwork = addNetwork('DE' as Region, 'bundesinitiative', 'Bundesinitiative Lokale Bündnisse für Familie', NetworkKind.FEDERAL, alliances,
    'Die bundesweite Initiative, der alle Lokalen Bündnisse für Familie angehören.').id;
  const smallNetwork = addNetwork('DE' as Region, 'modellstandorte', 'Modellstandorte Familienfreundliche Kommune', NetworkKind.FEDERAL,
    REGIONS.map((r) => alliancesOf.get(r)![0]), 'Je ein Bündnis aus jedem Land und dem Bund.').id;
  addNetwork('DE' as Region, 'unternehmensnetzwerk', 'Unternehmensnetzwerk Erfolgsfaktor Familie', NetworkKind.FEDERAL,
    alliances.filter(() => chance(0.1)), 'Unternehmen und Bündnisse für eine familienbewusste Personalpolitik.');

  // ---- projects
  const projectCount = counts(BASE_COUNTS.projects);
  const projects: Row[] = [];
  const fundingLines: Row[] = [];
  // Funding from its own random stream, so every other row stays as it was without funding lines.
  const money = new Faker({ locale: [base] });
  money.seed(seed + 1);
  const euros = (min: number, max: number) => money.number.int({ min: min / 100, max: max / 100 }) * 100 * 100;
  /** A project's funding as local alliances see it: ESF with state co-funding, LEADER with the municipality's part, budgets. */
  const linesFor = (programme: FundingProgramme | null, region: Region, place: string | null, startYear: number) => {
    if (!programme) return [];
    const state = region === 'DE' ? 'Bund' : `Land ${STATE_NAME[region]}`;
    const town = place ?? STATE_NAME[region];
    const municipality = place ? `Stadt ${place}` : 'Kommunale Mittel';
    const period = () => ({ startsOn: String(startYear), endsOn: String(startYear + money.number.int({ min: 0, max: 3 })) });
    const reference = (prefix: string) => (money.number.float() < 0.6 ? `${prefix}-${startYear}-${money.number.int({ min: 100, max: 9999 })}` : null);
    const split = (total: number, mainShare: number, main: object, co: object) => {
      const mainCents = Math.round((total * mainShare) / 100);
      return [{ ...main, amountCents: mainCents, share: mainShare }, { ...co, amountCents: total - mainCents, share: 100 - mainShare }];
    };
    let lines: Record<string, unknown>[];
    switch (programme) {
      case FundingProgramme.ESF:
        lines = split(euros(40_000, 600_000), money.helpers.arrayElement([50, 60, 70, 80, 90]),
          { programme, funder: 'Europäischer Sozialfonds Plus (ESF Plus)', grantReference: reference('ESF') },
          { programme: FundingProgramme.STATE, funder: state, grantReference: reference('LM') });
        break;
      case FundingProgramme.LEADER:
        lines = split(euros(10_000, 250_000), money.helpers.arrayElement([60, 65, 70, 75, 80]),
          { programme, funder: `LEADER-Aktionsgruppe ${town}`, grantReference: reference('LEADER') },
          { programme: FundingProgramme.MUNICIPAL, funder: place ? `Gemeinde ${place}` : municipality, grantReference: null });
        break;
      case FundingProgramme.STATE:
        lines = money.number.float() < 0.4
          ? split(euros(10_000, 200_000), 75, { programme, funder: state, grantReference: reference('LM') },
            { programme: FundingProgramme.MUNICIPAL, funder: municipality, grantReference: null })
          : [{ programme, funder: state, amountCents: euros(5_000, 150_000), grantReference: reference('LM') }];
        break;
      case FundingProgramme.FEDERAL:
        lines = [{ programme, funder: 'Bundesministerium für Familie, Senioren, Frauen und Jugend', amountCents: euros(20_000, 500_000), grantReference: reference('BMFSFJ') }];
        break;
      case FundingProgramme.MUNICIPAL:
        lines = [{ programme, funder: municipality, amountCents: euros(2_000, 60_000), grantReference: null }];
        break;
      case FundingProgramme.FOUNDATION:
        lines = [{ programme, funder: money.helpers.arrayElement(['Robert Bosch Stiftung', 'Aktion Mensch', 'Bürgerstiftung', 'Sparkassenstiftung']),
          amountCents: euros(5_000, 80_000), grantReference: null }];
        break;
      default:
        lines = [{ programme, funder: programme === FundingProgramme.COMPANY ? 'Unternehmen der Region' : null, amountCents: euros(1_000, 30_000), grantReference: null }];
    }
    // The sources often name the programme but not the sum: about one line in six has no amount (and then no share).
    return lines.map((line) => ({ funder: null, share: null, ...line, ...period(),
      ...(money.number.float() < 0.16 ? { amountCents: null, share: null } : {}) }));
  };
  for (const region of REGIONS) {
    const own = alliancesOf.get(region)!;
    for (let i = 0; i < projectCount[region]; i++) {
      const lead = region === 'DE' ? null : chance(0.9) ? pick(own) : null;
      const townName = lead ? ((lead.municipality as { name: string } | null)?.name ?? STATE_NAME[region]) : STATE_NAME[region];
      const title = `${pick(PROJECT_TITLES)} ${townName}${chance(0.3) ? ` ${year(2008, 2026)}` : ''}`;
      const partners = new Set<string>();
      for (let p = int(0, 2); p > 0; p--) {
        const from = chance(region === 'DE' ? 1 : 0.1) ? alliancesOf.get(pick(states))! : own;
        const partner = pick(from);
        if (partner.id !== lead?.id) partners.add(partner.id);
      }
      const startYear = year(2006, 2026);
      const status = weighted<ProjectStatus | null>([[ProjectStatus.ACTIVE, 45], [ProjectStatus.COMPLETED, 35], [ProjectStatus.PLANNED, 10], [null, 10]]);
      projects.push({
        id: `${region}:project:${slug(title)}-${i.toString(36)}`, region, title, sortKey: sortKeyOf(title),
        summary: chance(0.6) ? f.lorem.sentences({ min: 1, max: 3 }) : null, fieldsOfAction: fields(1, 3), status,
        fundingProgramme: weighted<FundingProgramme | null>([[FundingProgramme.MUNICIPAL, 25], [FundingProgramme.STATE, 15], [FundingProgramme.FEDERAL, 10],
          [FundingProgramme.ESF, 8], [FundingProgramme.LEADER, 6], [FundingProgramme.FOUNDATION, 8], [FundingProgramme.COMPANY, 10], [FundingProgramme.OTHER, 5], [null, 13]]),
        startsOn: chance(0.9) ? partialDate(startYear, startYear) : null,
        endsOn: status === ProjectStatus.COMPLETED ? partialDate(Math.min(2026, startYear + int(0, 3)), Math.min(2026, startYear + 3)) : null,
        website: chance(0.3) ? `https://www.${slug(title, 30)}.de` : null,
        leadAllianceId: lead?.id ?? null, partnerAllianceIds: [...partners],
        partnerOrganizationIds: [...new Set(Array.from({ length: int(0, 4) }, () => pick(orgsOf.get(region)!).id))],
        contactIds: [...new Set(Array.from({ length: int(0, 2) }, () => pick(peopleOf.get(region)!).id))],
        ...common,
      });
      const project = projects[projects.length - 1];
      const place = (lead?.municipality as { name: string } | null | undefined)?.name ?? null;
      const lines = linesFor(project.fundingProgramme as FundingProgramme | null, region, place, startYear);
      // As the API keeps it: the project's programme is its main line's (a main line of unknown amount may lose to its co-funding).
      project.fundingProgramme = mainLine(lines as unknown as RankedLine[])?.programme ?? null;
      lines.forEach((line, position) => fundingLines.push({
        id: `${(project.id as string).replace(':project:', ':fundingLine:')}-${position}`, region, project: project.id, position, ...line, ...common,
      }));
    }
  }

  return {
    seed, scale,
    rows: {
      alliances: [
        { entity: Alliance as EntityClass<object>, name: 'alliance', rows: alliances },
        { entity: Organization as EntityClass<object>, name: 'organization', rows: organizations },
        { entity: Membership as EntityClass<object>, name: 'membership', rows: memberships },
      ],
      networks: [
        { entity: Network as EntityClass<object>, name: 'network', rows: networks },
        { entity: NetworkMember as EntityClass<object>, name: 'networkMember', rows: networkMembers },
        { entity: NetworkPartner as EntityClass<object>, name: 'networkPartner', rows: networkPartners },
        { entity: Meeting as EntityClass<object>, name: 'meeting', rows: meetings },
        { entity: Talk as EntityClass<object>, name: 'talk', rows: talks },
      ],
      projects: [
        { entity: Project as EntityClass<object>, name: 'project', rows: projects },
        { entity: FundingLine as EntityClass<object>, name: 'fundingLine', rows: fundingLines },
      ],
      people: [
        { entity: Person as EntityClass<object>, name: 'person', rows: people },
        { entity: Role as EntityClass<object>, name: 'role', rows: roles },
      ],
    },
    ids: { bigNetwork, smallNetwork, federalRegion: 'DE' as Region },
  };
}

/** Row counts per entity name. */
export function countsOf(dataset: Dataset): Record<string, number> {
  return Object.fromEntries(Object.values(dataset.rows).flat().map((t) => [t.name, t.rows.length]));
}

/** regional: one instance per region; grouped: four instances, each for a group of regions (REGION_GROUPS); single: one for all. */
export type Layout = 'regional' | 'grouped' | 'single';

/** Four instances per subgraph, as states sharing an operator might run them; DE's federal records go east with Berlin. */
export const REGION_GROUPS: Record<string, readonly Region[]> = {
  nord: [Region.SH, Region.HH, Region.HB, Region.NI, Region.MV],
  west: [Region.NW, Region.RP, Region.SL, Region.HE],
  sued: [Region.BW, Region.BY],
  ost: [Region.BE, Region.BB, Region.SN, Region.ST, Region.TH, Region.DE],
};

/** insertMany takes no embeddable objects: `consent: { publicListing }` becomes `consent_publicListing`. */
const EMBEDDED_OBJECTS = new Set(['consent', 'municipality']);
function flattenEmbedded(row: Row): Row {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (EMBEDDED_OBJECTS.has(name)) {
      for (const [inner, innerValue] of Object.entries((value ?? {}) as object)) flat[`${name}_${inner}`] = innerValue;
      if (value === null) for (const inner of name === 'consent' ? [] : ['name', 'ags']) flat[`${name}_${inner}`] = null;
    } else flat[name] = value;
  }
  return flat as Row;
}

/** Databases named like the run's that were not made by it: nothing is dropped. */
export class ForeignDatabasesError extends CommandError {}

/** Database name of a subgraph's instance: one region, a group of REGION_GROUPS, or `all`. */
export const databaseName = (prefix: string, subgraph: string, group: string) => `${prefix}_${subgraph}_${group.toLowerCase()}`;

export interface LoadOptions {
  /** A PostgreSQL server URL whose user may create databases (database part ignored). */
  serverUrl: string;
  layouts: Layout[];
  prefix?: string;
  progress?: boolean;
  batchSize?: number;
  /**
   * Refuse to replace a database that exists without the marker of this loader (one it did not
   * create, such as `npm start`'s `hub_<subgraph>_<region>`): nothing is dropped then. `npm run generate` and the bench set it.
   */
  onlyReplaceOwn?: boolean;
}

/** The comment every database made here carries: the proof that dropping it loses nothing but generated data. */
export const GENERATED_MARKER = 'buendnis-hub generated data (npm run generate): may be dropped and made again';

/** Existing databases among `names` that do not carry the marker, so were made by someone else. */
export async function foreignDatabases(admin: pg.Client, names: string[]): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string; marker: string | null }>(
    `select datname, shobj_description(oid, 'pg_database') as marker from pg_database where datname = any($1) order by datname`, [names]);
  return rows.filter((row) => row.marker !== GENERATED_MARKER).map((row) => row.datname);
}

/** (Re)creates, migrates and fills the databases of the given layouts; returns database URLs by name. */
export async function loadDataset(dataset: Dataset, options: LoadOptions): Promise<Map<string, string>> {
  const prefix = options.prefix ?? 'hub';
  const batchSize = options.batchSize ?? 2_000;
  const server = new URL(options.serverUrl);
  const urlOf = (db: string) => { const u = new URL(server); u.pathname = `/${db}`; return u.toString(); };
  // Each database with the regions it holds (undefined: all).
  const plan: { subgraph: SubgraphName; regions?: ReadonlySet<Region>; db: string }[] = [];
  for (const definition of SUBGRAPHS) {
    for (const layout of options.layouts) {
      const groups: [string, readonly Region[] | undefined][] = layout === 'single' ? [['all', undefined]]
        : layout === 'grouped' ? Object.entries(REGION_GROUPS) : REGIONS.map((region) => [region, [region]]);
      for (const [group, regions] of groups) {
        plan.push({ subgraph: definition.name, regions: regions && new Set(regions), db: databaseName(prefix, definition.name, group) });
      }
    }
  }
  // CREATE DATABASE one after another.
  const admin = new pg.Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  try {
    if (options.onlyReplaceOwn) {
      const foreign = await foreignDatabases(admin, plan.map((p) => p.db));
      if (foreign.length) {
        throw new ForeignDatabasesError(`${foreign.length} database(s) named like this run's exist without the mark of npm run generate, `
          + `so they hold someone else's data and are left as they are: ${foreign.join(', ')}. Choose another --prefix, or drop them yourself.`);
      }
    }
    for (const { db } of plan) {
      await admin.query(`drop database if exists "${db}" with (force)`);
      await admin.query(`create database "${db}"`);
      await admin.query(`comment on database "${db}" is '${GENERATED_MARKER}'`);
    }
  } finally {
    await admin.end();
  }
  const bars = options.progress ? progressDisplay({ unit: 'rows' }) : undefined;
  const urls = new Map<string, string>();
  await Promise.all(SUBGRAPHS.map(async (definition) => {
    const tables = dataset.rows[definition.name];
    const mine = plan.filter((p) => p.subgraph === definition.name);
    const total = tables.reduce((s, t) => s + t.rows.length, 0) * options.layouts.length;
    const bar = bars?.task(definition.name.padEnd(9), total);
    let loaded = 0;
    for (const { regions, db } of mine) {
      const url = urlOf(db);
      urls.set(db, url);
      const orm = await initOrm({ databaseUrl: url, entities: definition.entities, migrations: definition.migrations, connections: { max: 2 } });
      try {
        await migrate(orm);
        const em = orm.em.fork();
        for (const table of tables) {
          const rows = regions ? table.rows.filter((r) => regions.has(r.region)) : table.rows;
          for (let i = 0; i < rows.length; i += batchSize) {
            const chunk = rows.slice(i, i + batchSize);
            await em.insertMany(table.entity, chunk.map(flattenEmbedded) as never[]);
            loaded += chunk.length;
            bar?.update(loaded, db);
          }
        }
        // Hint bits, visibility map and statistics now, not by autovacuum while the bench measures.
        await em.getConnection().execute('vacuum (analyze)');
      } finally {
        await orm.close();
      }
    }
    bar?.finish();
  }));
  bars?.stop();
  return urls;
}

const EMBEDDED_PORT = 54400;
const SPEC: CommandSpec = {
  command: 'npm run generate --',
  summary: 'Generates a deterministic national data set (every state and DE) and loads it into databases <prefix>_<subgraph>_<region> '
    + '(layout regional, 68) and/or <prefix>_<subgraph>_all (layout single, 4), migrated with the subgraphs\' migrations.',
  options: {
    url: { type: 'string', value: 'URL', description: `a PostgreSQL server whose user may create databases (default: an embedded one on port ${EMBEDDED_PORT}, data in .pgdata/bench)` },
    seed: { type: 'string', value: 'N', description: 'the seed: the same seed and scale give the same rows, ids included', default: '1' },
    scale: { type: 'string', value: 'X', description: 'the share of national scale (700 alliances, 25,000 organisations, …), more than 0 and at most 10', default: '1' },
    layout: { type: 'string', value: 'regional|single|both', description: 'which databases to fill', default: 'both' },
    prefix: { type: 'string', value: 'NAME', description: 'the databases\' name prefix: lower-case letters, digits, _', default: 'hub' },
  },
  notes: `Safety: every database made here carries a comment marking it as generated; it only ever drops and
re-creates databases with that mark. A database of the same name without it (e.g. npm start's
hub_alliances_sl on the same server) stops the run before anything is dropped: choose another --prefix.
Progress goes to stderr: bars on a terminal, a line per tenth of each subgraph's rows otherwise.`,
};

function main(): void {
  runCommand(SPEC, async ({ values, problems }) => {
    const seed = problems.check('--seed', z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0), values.seed);
    const scale = problems.check('--scale', z.coerce.number({ message: 'must be a number' }).gt(0, 'must be more than 0').max(10, 'must be at most 10'), values.scale);
    const layout = problems.check('--layout', z.enum(['regional', 'single', 'both'], { message: 'must be regional, single or both' }), values.layout);
    const prefix = problems.check('--prefix', z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be 1 to 31 lower-case letters, digits or _, starting with a letter'), values.prefix);
    const url = values.url === undefined ? undefined : problems.check('--url', postgresUrl, values.url);
    problems.stopIfAny();
    const started = Date.now();
    const dataset = generateDataset({ seed: seed!, scale: scale! });
    console.log(`generated in ${Date.now() - started} ms (seed ${dataset.seed}, scale ${dataset.scale}):`, countsOf(dataset));
    let stop: (() => Promise<void>) | undefined;
    let serverUrl = url;
    if (!serverUrl) {
      const { startEmbeddedPostgres } = await import('../lib/embedded-postgres.js');
      const postgres = await startEmbeddedPostgres({ name: 'bench', port: EMBEDDED_PORT, persistent: true });
      serverUrl = postgres.urlFor('postgres');
      stop = () => postgres.stop();
      console.log(`embedded PostgreSQL on port ${EMBEDDED_PORT} (.pgdata/bench)`);
    }
    try {
      const layouts: Layout[] = layout === 'both' ? ['regional', 'single'] : [layout as Layout];
      const loading = Date.now();
      const urls = await loadDataset(dataset, { serverUrl, layouts, prefix, progress: true, onlyReplaceOwn: true });
      console.log(`loaded ${urls.size} databases (${layouts.join(' + ')}) in ${((Date.now() - loading) / 1000).toFixed(1)} s; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await stop?.();
    }
    return 0;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main();
}

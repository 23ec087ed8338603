import type { EntityManager } from '../kit/index.js';
import { parseId, servesId, type Region } from '../kit/index.js';
import { DEMO } from '../../data/demo/ids.js';
import { Person } from './entities/person.js';
import { Role } from './entities/role.js';
import { RoleKind } from './enums.js';

const { alliance: A, network: N, organization: O, person: P } = DEMO;

interface SeedRole {
  kind: RoleKind; title?: string; allianceId?: string; networkId?: string; organizationId?: string; since?: string;
}
interface SeedPerson {
  id: string; givenName: string; familyName: string; roles: SeedRole[];
  contactEmail?: string; contactPhone?: string;
  consent?: { publicListing: boolean; recordedOn: string; source: string };
}

/** Facts from the press texts in data/seeds/ (file number in brackets); unknown facts stay empty. */
const people: SeedPerson[] = [
  // [000] accepted Impuls' membership certificate handed over on 16 May 2018
  { id: P.kemmer, givenName: 'Michael', familyName: 'Kemmer', roles: [{
    kind: RoleKind.REPRESENTATIVE, allianceId: A.saarbruecken, organizationId: O.impuls,
    title: 'Regionale Geschäftsleitung Süd', since: '2018-05-16',
  }] },
  // [000] Bündniskoordinatorin
  { id: P.altmeierKoletzki, givenName: 'Mirjam', familyName: 'Altmeier-Koletzki', roles: [
    { kind: RoleKind.COORDINATOR, allianceId: A.saarbruecken },
  ] },
  // [002] presented the family portal of LIBa e.V. at the Fachtag on 26 March 2019
  { id: P.braemer, givenName: 'Evelyn', familyName: 'Brämer', roles: [
    { kind: RoleKind.CONTACT, organizationId: O.liba },
    { kind: RoleKind.SPEAKER, networkId: N.familienakteureBoerde, organizationId: O.liba, since: '2019-03-26' },
  ] },
  // [002] Bündnis-Mentorin and Geschäftsführerin of the Zentrum für Familie und Alleinerziehende, speaker
  { id: P.frommann, givenName: 'Stefanie', familyName: 'Frommann', roles: [
    { kind: RoleKind.MENTOR, organizationId: O.zfa, title: 'Geschäftsführerin' },
    { kind: RoleKind.SPEAKER, networkId: N.familienakteureBoerde, since: '2019-03-26' },
  ] },
  // [002] presented AWOlifebalance
  { id: P.kutz, givenName: 'Rebecca', familyName: 'Kutz', roles: [
    { kind: RoleKind.SPEAKER, networkId: N.familienakteureBoerde, organizationId: O.awo, since: '2019-03-26' },
  ] },
  // [002] reported from the DRK Börde
  { id: P.oelke, givenName: 'Mandy', familyName: 'Oelke', roles: [
    { kind: RoleKind.SPEAKER, networkId: N.familienakteureBoerde, organizationId: O.drkBoerde, since: '2019-03-26' },
  ] },
  // [002] thanked by LIBa e.V. for the Fachtag
  { id: P.gottschalk, givenName: 'Franka', familyName: 'Gottschalk', roles: [
    { kind: RoleKind.CONTACT, organizationId: O.landkreisBoerde, title: 'Gleichstellungsbeauftragte des Landkreises Börde' },
  ] },
  { id: P.borkowski, givenName: 'Birgit', familyName: 'Borkowski', roles: [
    { kind: RoleKind.CONTACT, organizationId: O.jobcenterBoerde, title: 'Beauftragte für Chancengleichheit am Arbeitsmarkt' },
  ] },
  // [004] published as the alliance's contact, with office phone and e-mail
  { id: P.moser, givenName: 'Aline', familyName: 'Moser', roles: [
    { kind: RoleKind.CONTACT, allianceId: A.heidelberg },
  ], contactEmail: 'moser@hddienste.de', contactPhone: '06221-141013', consent: {
    publicListing: true, recordedOn: '2026-11-25',
    source: 'Als Kontakt des Bündnisses veröffentlicht im Pressetext data/seeds/004',
  } },
];

const regionOf = (id: string) => parseId(id, id.split(':')[1]).region;
const keyOf = (id: string) => id.split(':')[2];

export async function seedPeople(em: EntityManager, regions?: ReadonlySet<Region>): Promise<boolean> {
  if (await em.count(Person, {})) return false;
  for (const { roles, consent, ...fields } of people.filter((p) => servesId(regions, p.id))) {
    const region = regionOf(fields.id);
    const person = em.create(Person, { ...fields, region, consent: consent ?? { publicListing: false } } as never);
    roles.forEach((role, index) => {
      em.create(Role, { ...role, id: `${region}:role:${keyOf(fields.id)}-${index + 1}`, region, person } as never);
    });
  }
  await em.flush();
  return true;
}

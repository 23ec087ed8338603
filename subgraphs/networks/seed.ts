import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO } from '../../data/demo/ids.js';
import { parseId, servesId, type Region } from '../kit/index.js';
import { NetworkKind } from './enums.js';
import { Meeting } from './entities/meeting.js';
import { Network } from './entities/network.js';
import { NetworkMember } from './entities/network-member.js';
import { NetworkPartner } from './entities/network-partner.js';
import { Talk } from './entities/talk.js';

const { alliance, organization: org, person, network: net, meeting: meet } = DEMO;

interface NetworkSeed {
  id: string; name: string; kind: NetworkKind; description?: string; coordinatingBodyId?: string;
  members?: string[]; partners?: { organizationId: string; role?: string }[];
}
interface MeetingSeed {
  id: string; networkId: string; number: number; title: string; date: string; place: string; topics: string[];
  talks: { title: string; speakerId?: string; organizationId?: string }[];
}

// Facts from data/seeds/001 (Saarland), 004 (Baden-Württemberg), 000/001 (Bund) and 002 (Börde);
// exported, with the meetings, for tests.
export const NETWORKS: NetworkSeed[] = [
  {
    id: net.landesnetzwerkSaarland, name: 'Landesnetzwerk Lokale Bündnisse für Familie Saarland',
    kind: NetworkKind.LANDESNETZWERK, coordinatingBodyId: org.msgff,
    members: [alliance.saarbruecken, alliance.unimedkids],
  },
  {
    id: net.argeBw, name: 'ARGE Netzwerk Familie Baden-Württemberg', kind: NetworkKind.ARGE,
    description: 'Vernetzt bereits 25 Lokale Bündnisse für Familie und weitere Partner wie die FamilienForschung '
      + 'Baden-Württemberg, den Kommunalverband Jugend und Soziales Baden-Württemberg sowie einzelne Gemeinden, '
      + 'um die Rahmenbedingungen zur Familienförderung im Land nachhaltig zu verbessern.',
    members: [alliance.heidelberg],
    partners: [{ organizationId: org.familienforschungBw, role: 'Partner' }, { organizationId: org.kvjs, role: 'Partner' }],
  },
  {
    id: net.rheinNeckar, name: 'Lokale Bündnisse für Familie in der Metropolregion Rhein-Neckar',
    kind: NetworkKind.REGIONAL_COOPERATION,
    description: 'Kooperation der Lokalen Bündnisse für Familie in der Metropolregion Rhein-Neckar, die sich über '
      + 'Baden-Württemberg, Rheinland-Pfalz und Hessen erstreckt; gemeinsames Projekt ist das '
      + 'Familienfreundlichkeitslabel „Still- und Wickelpunkt“.',
    members: [alliance.heidelberg],
  },
  {
    id: net.bundesinitiative, name: 'Bundesinitiative Lokale Bündnisse für Familie', kind: NetworkKind.FEDERAL,
    coordinatingBodyId: org.servicestelle,
    members: [alliance.saarbruecken, alliance.unimedkids, alliance.iserlohn, alliance.heidelberg],
  },
  {
    id: net.familienakteureBoerde, name: 'Familienakteure im Dialog – Landkreis Börde',
    kind: NetworkKind.REGIONAL_COOPERATION,
    description: 'Netzwerkpartner aus dem sozialen Bereich, aus Unternehmen und Unternehmensverbänden im Landkreis '
      + 'Börde, die künftig einen Verbund anstreben, der mehr Zusammenarbeit und kurze Wege ermöglicht.',
    partners: [
      { organizationId: org.liba, role: 'Veranstalter' },
      { organizationId: org.landkreisBoerde },
      { organizationId: org.jobcenterBoerde },
    ],
  },
];

export const MEETINGS: MeetingSeed[] = [
  {
    id: meet.landesnetzwerktreffen16, networkId: net.landesnetzwerkSaarland, number: 16,
    title: '16. Landesnetzwerktreffen', date: '2018-06-07', place: 'Saarbrücken',
    topics: [
      'Familienfreundlichkeit in Unternehmen', 'Partnerschaften zwischen Lokalen Bündnissen für Familie und Unternehmen',
      'Pflege', 'Kinderbetreuung',
    ],
    talks: [
      { title: 'Impulsvortrag „Familienfreundliche Unternehmenskultur und Unternehmenspartnerschaften“', organizationId: org.servicestelle },
      { title: 'Studie „Familienfreundliche Unternehmenskultur“ aus dem Unternehmensprogramm „Erfolgsfaktor Familie“' },
    ],
  },
  {
    id: meet.fachtagHaldensleben, networkId: net.familienakteureBoerde, number: 1,
    title: 'Netzwerk-Fachtag „Familienakteure im Dialog“', date: '2019-03-26', place: 'Haldensleben',
    topics: ['Vereinbarkeit von Familie und Beruf', 'Kinderbetreuung', 'Alleinerziehende', 'Familienfreundliche Unternehmen'],
    talks: [
      { title: 'Familienportal zur Vermittlung von Babysittern und Haushaltshilfen', speakerId: person.braemer, organizationId: org.liba },
      { title: 'Praxisbeispiele', speakerId: person.frommann, organizationId: org.zfa },
      { title: 'Praxisbeispiele aus dem Familienzentrum Jena', organizationId: org.familienzentrumJena },
      { title: 'Projekt AWOlifebalance', speakerId: person.kutz, organizationId: org.awo },
      { title: 'Erfahrungsbericht einer Mutter und Führungskraft', speakerId: person.oelke, organizationId: org.drkBoerde },
    ],
  },
];

/** Child ids join the parent's key and the referenced record's key, so every seeded instance agrees. */
const childId = (region: Region, kind: string, parentId: string, suffix: string) =>
  `${region}:${kind}:${parseId(parentId, parentId.split(':')[1]).key}-${suffix}`;
const keyOf = (id: string) => id.split(':')[2];

/** Loads the demo networks and meetings into an empty database; dates and roles only where the texts give them. */
export async function seedNetworks(em: EntityManager, regions?: ReadonlySet<Region>): Promise<boolean> {
  if (await em.count(Network, {})) return false;
  const networks = new Map<string, Network>();
  for (const seed of NETWORKS.filter((n) => servesId(regions, n.id))) {
    const region = parseId(seed.id, 'network').region;
    const network = em.create(Network, {
      id: seed.id, region, name: seed.name, kind: seed.kind,
      description: seed.description ?? null, coordinatingBodyId: seed.coordinatingBodyId ?? null,
    } as never);
    networks.set(seed.id, network);
    for (const allianceId of seed.members ?? []) {
      em.create(NetworkMember, { id: childId(region, 'networkMember', seed.id, keyOf(allianceId)), region, network, allianceId } as never);
    }
    for (const partner of seed.partners ?? []) {
      em.create(NetworkPartner, {
        id: childId(region, 'networkPartner', seed.id, keyOf(partner.organizationId)), region, network,
        organizationId: partner.organizationId, role: partner.role ?? null,
      } as never);
    }
  }
  for (const seed of MEETINGS.filter((m) => servesId(regions, m.networkId))) {
    const network = networks.get(seed.networkId)!;
    const { talks, networkId: _n, ...fields } = seed;
    const meeting = em.create(Meeting, { ...fields, region: network.region, network } as never);
    talks.forEach((talk, index) => {
      em.create(Talk, {
        id: childId(network.region, 'talk', seed.id, String(index + 1)), region: network.region, meeting,
        position: index + 1, title: talk.title, speakerId: talk.speakerId ?? null, organizationId: talk.organizationId ?? null,
      } as never);
    });
  }
  await em.flush();
  return true;
}

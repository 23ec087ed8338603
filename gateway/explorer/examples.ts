// The operations the explorer offers to pick: those the hub's users rely on (they must keep
// working as written) and the README's examples. The ids are the demo data's.

export interface Example {
  /** The operation's name, as in the query. */
  name: string;
  title: string;
  description: string;
  query: string;
  /** A write: it needs a token with a role for its region, and is never run by one click. */
  needsToken?: boolean;
}

export const EXAMPLES: Example[] = [
  {
    name: 'NetworkMembers',
    title: 'Netzwerke eines Landes mit Mitgliedsbündnissen',
    description: 'Die Netzwerke in Baden-Württemberg, ihre Mitgliedsbündnisse (aus jedem Land) und Treffen.',
    query: `query NetworkMembers {
  networks(region: BW) {
    id name kind region
    memberAlliances { alliance { id name region foundedOn } since }
    meetings { number date place topics }
  }
}`,
  },
  {
    name: 'FindAlliances',
    title: 'Bündnisse per Textsuche finden',
    description: 'Volltextsuche auf Deutsch („Iserlohn“) mit Mitgliedern, Kontakten, Projekten und Netzwerken, seitenweise.',
    query: `query FindAlliances {
  alliances(filter: { text: "Iserlohn" }, first: 10) {
    totalCount
    edges { cursor node { id name region foundedOn municipality { name ags }
      fieldsOfAction memberships { joinedOn organization { name kind } }
      contacts { name } projects { title status } networks { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    name: 'Dashboard',
    title: 'Projektstatistik für mehrere Länder',
    description: 'Projekte im Saarland, in Sachsen-Anhalt, Baden-Württemberg und Nordrhein-Westfalen nach Land, Handlungsfeld, Status, Förderung und Jahr.',
    query: `query Dashboard {
  projectStatistics(filter: { regions: [SL, ST, BW, NW] }) {
    total
    byRegion { region count }
    byFieldOfAction { fieldOfAction count }
    byStatus { status count }
    byFundingProgramme { programme count }
    byYear { year count }
  }
}`,
  },
  {
    name: 'ProjectsByText',
    title: 'Projekte per Textsuche finden',
    description: 'Projekte zu „Familienservice“ mit federführendem Bündnis, Partnern und Kontakten.',
    query: `query ProjectsByText {
  projects(filter: { text: "Familienservice" }, first: 5) {
    edges { node { id title status region fundingProgramme
      leadAlliance { name } partnerOrganizations { name } contacts { name } } }
  }
}`,
  },
  {
    name: 'Node',
    title: 'Einzelne Einträge über ihre Kennung',
    description: 'Je ein Bündnis, Netzwerk, Projekt und eine Person; die Kennung beginnt mit dem Land, dem der Eintrag gehört.',
    query: `query Node {
  alliance(id: "NW:alliance:iserlohn") { name }
  network(id: "SL:network:landesnetzwerk-saarland") { name }
  project(id: "ST:project:familienservice-rundum") { title }
  person(id: "SL:person:michael-kemmer") { name }
}`,
  },
  {
    name: 'CreateAlliance',
    title: 'Bündnis anlegen (schreibt Daten)',
    description: 'Legt im Saarland wirklich ein Bündnis an. Braucht das Token einer Redakteurin oder eines Redakteurs für SL (editor:SL).',
    needsToken: true,
    query: `mutation CreateAlliance {
  createAlliance(input: { region: SL, name: "Lokales Bündnis für Familie Musterstadt",
                          foundedOn: "2024-05", fieldsOfAction: [CHILDCARE] }) { id version }
}`,
  },
];

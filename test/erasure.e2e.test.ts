import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectsSubgraph } from '../subgraphs/projects/index.js';
import type { Region } from '../subgraphs/kit/index.js';
import { DEMO } from '../data/demo/ids.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

/** Erasure (GDPR Art. 17) across subgraphs and regions, through the gateway. */
let hub: TestHub;
const restarted: TestSubgraph[] = [];

beforeAll(async () => {
  hub = await startTestHub({ seed: true, regions: [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][] });
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await Promise.all(restarted.map((s) => s.stop()));
});

const ERASE = `mutation($id: ID!) { erasePerson(id: $id) { personId complete steps { subgraph instance changed error } } }`;
const changedBy = (steps: { subgraph: string; instance: string; changed: number }[]) =>
  Object.fromEntries(steps.filter((s) => s.changed).map((s) => [s.instance, s.changed]));

async function referenceKemmerEverywhere(): Promise<{ projectId: string; meetingId: string }> {
  const project = await hub.query(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
    { input: { region: 'BW', title: 'Pflegelotsen', contactIds: [DEMO.person.kemmer, DEMO.person.moser] } });
  const meeting = await hub.query(`mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }`, {
    input: { networkId: DEMO.network.familienakteureBoerde, title: 'Fachtag Pflege', talks: [{ title: 'Pflege im Betrieb', speakerId: DEMO.person.kemmer }] },
  });
  expect(project.errors ?? meeting.errors).toBeUndefined();
  return { projectId: project.data.createProject.id, meetingId: meeting.data.createMeeting.id };
}

describe('erasing a person', () => {
  it('is refused to anonymous callers, editors and admins of other regions', async () => {
    expect((await hub.anonymous(ERASE, { id: DEMO.person.kemmer })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await hub.as(['editor:SL'])(ERASE, { id: DEMO.person.kemmer })).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', region: 'SL' });
    expect((await hub.as(['admin:NW'])(ERASE, { id: DEMO.person.kemmer })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await hub.query(`{ person(id: "${DEMO.person.kemmer}") { name } }`)).data.person).toEqual({ name: 'Michael Kemmer' });
  });

  it('removes the person and every reference in every region, reports what it changed, and can be repeated', async () => {
    const { projectId, meetingId } = await referenceKemmerEverywhere();
    const { data, errors } = await hub.as(['admin:SL'], 'datenschutz@saarland.example')(ERASE, { id: DEMO.person.kemmer });
    expect(errors).toBeUndefined();
    expect(data.erasePerson).toMatchObject({ personId: DEMO.person.kemmer, complete: true });
    expect(changedBy(data.erasePerson.steps)).toEqual({
      'alliances-sl': 1, 'networks-st': 1, 'projects-bw': 1, 'people-sl': 1,
    });

    const after = await hub.query(`{
      person(id: "${DEMO.person.kemmer}") { name }
      alliance(id: "${DEMO.alliance.saarbruecken}") { contacts { name } memberships { organization { name } representative { id } } }
      project(id: "${projectId}") { contacts { name } }
      meeting(id: "${meetingId}") { talks { title speaker { name } } }
    }`);
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual({
      person: null,
      alliance: { contacts: [{ name: 'Mirjam Altmeier-Koletzki' }], memberships: [{ organization: { name: 'Impuls Soziales Management' }, representative: null }] },
      project: { contacts: [{ name: 'Aline Moser' }] },
      meeting: { talks: [{ title: 'Pflege im Betrieb', speaker: null }] },
    });
    const audit = await hub.subgraphs['alliances-sl'].orm.em.fork().getConnection()
      .execute(`select actor, action, fields from audit_log where entity = 'Membership' and actor <> 'system'`);
    expect(audit).toEqual([{ actor: 'datenschutz@saarland.example', action: 'update', fields: ['representativeId'] }]);

    const again = await hub.as(['admin:SL'])(ERASE, { id: DEMO.person.kemmer });
    expect(again.data.erasePerson.complete).toBe(true);
    expect(changedBy(again.data.erasePerson.steps)).toEqual({});
  });

  it('keeps the person while a region with references is down, and completes on the next run', async () => {
    const project = await hub.query(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
      { input: { region: 'BW', title: 'Familienlotsen', contactIds: [DEMO.person.braemer] } });
    expect(project.errors).toBeUndefined();
    const bw = hub.subgraphs['projects-bw'];
    await bw.stop();
    const partial = await hub.as(['admin:ST'])(ERASE, { id: DEMO.person.braemer });
    expect(partial.data.erasePerson.complete).toBe(false);
    expect(partial.data.erasePerson.steps).toContainEqual(expect.objectContaining({ instance: 'projects-bw', changed: null, error: expect.stringMatching(/^unavailable/) }));
    expect(partial.data.erasePerson.steps.some((s: { subgraph: string }) => s.subgraph === 'people')).toBe(false);
    expect((await hub.query(`{ person(id: "${DEMO.person.braemer}") { name } }`)).data.person).toEqual({ name: 'Evelyn Brämer' });

    restarted.push(await startTestSubgraph(projectsSubgraph, { regions: ['BW'] as Region[], port: bw.port, databaseUrl: bw.databaseUrl }));
    const retried = await (async () => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const result = await hub.as(['admin:ST'])(ERASE, { id: DEMO.person.braemer });
        if (result.data?.erasePerson.complete) return result;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error('erasure did not complete after the instance came back');
    })();
    expect(changedBy(retried.data.erasePerson.steps)).toMatchObject({ 'projects-bw': 1, 'people-st': 1 });
    expect((await hub.query(`{ person(id: "${DEMO.person.braemer}") { name } }`)).data.person).toBeNull();
  });
});

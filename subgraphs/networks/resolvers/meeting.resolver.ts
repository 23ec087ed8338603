import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  applyPatch, conflict, deleteLogged, findForUpdate, findForWrite, inTransaction, makeId, parseId, type SubgraphContext,
} from '../../kit/index.js';
import { Meeting } from '../entities/meeting.js';
import { Network } from '../entities/network.js';
import { Talk } from '../entities/talk.js';
import { CreateMeetingInput, TalkInput, UpdateMeetingInput } from '../inputs/meeting.inputs.js';

/** A numbered meeting is referred to by its number ("16. Landesnetzwerktreffen"), so it must be unique. */
async function assertNumberFree(em: EntityManager, networkId: string, number: number, exceptId?: string): Promise<void> {
  const taken = await em.findOne(Meeting, { network: networkId, number, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  if (taken) {
    throw conflict(`Network "${networkId}" already has meeting number ${number} ("${taken.title}")`, { meetingId: taken.id });
  }
}

/** Talks take the meeting's region; their list order becomes their position. */
function addTalks(em: EntityManager, meeting: Meeting, talks: TalkInput[]): void {
  talks.forEach((talk, index) => {
    em.create(Talk, {
      id: makeId(meeting.region, 'talk'), region: meeting.region, meeting, position: index + 1,
      title: talk.title, speakerId: talk.speakerId ?? null, organizationId: talk.organizationId ?? null,
    } as never);
  });
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Query(() => Meeting, { nullable: true })
  meeting(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    parseId(id, 'meeting');
    return ctx.loaders.byId(Meeting).load(id);
  }

  @FieldResolver(() => Network)
  network(@Root() meeting: Meeting, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.byId(Network).load(meeting.network.id);
  }

  @FieldResolver(() => [Talk], { description: 'The talks in programme order.' })
  talks(@Root() meeting: Meeting, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.manyBy(Talk, 'meeting', { orderBy: { position: 'asc' } }).load(meeting.id);
  }

  @Mutation(() => Meeting, { description: 'Adds a meeting to a network (owned by the network\'s region).' })
  createMeeting(@Arg('input', () => CreateMeetingInput) input: CreateMeetingInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const network = await findForWrite(ctx, em, Network, input.networkId, 'network', 'networkId');
      if (input.number != null) await assertNumberFree(em, network.id, input.number);
      const { networkId: _n, talks, topics, ...fields } = input;
      const meeting = em.create(Meeting, {
        ...fields, topics: topics ?? [], id: makeId(network.region, 'meeting'), region: network.region, network,
      } as never);
      addTalks(em, meeting, talks ?? []);
      await em.flush();
      return meeting;
    });
  }

  @Mutation(() => Meeting, {
    description: 'Changes the fields given (a given talks list replaces the stored one); refuses a stale version with CONFLICT.',
  })
  updateMeeting(@Arg('input', () => UpdateMeetingInput) input: UpdateMeetingInput, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      const meeting = await findForUpdate(ctx, em, Meeting, input.id, 'meeting', input.version);
      if (input.number != null && input.number !== meeting.number) {
        await assertNumberFree(em, meeting.network.id, input.number, meeting.id);
      }
      const { talks, topics, ...fields } = input;
      applyPatch(meeting, fields, { required: ['title'] });
      if (topics !== undefined) meeting.topics = topics ?? [];
      if (talks !== undefined) {
        // Deleted first (and logged): the unit of work would insert before deleting and trip the position key.
        await deleteLogged(em, Talk, { meeting });
        addTalks(em, meeting, talks ?? []);
        meeting.updatedAt = new Date();
      }
      await em.flush();
      return meeting;
    });
  }

  @Mutation(() => ID, { description: 'Deletes the meeting with its talks; returns its id.' })
  deleteMeeting(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return inTransaction(ctx, async (em) => {
      em.remove(await findForWrite(ctx, em, Meeting, id, 'meeting'));
      await em.flush();
      return id;
    });
  }
}

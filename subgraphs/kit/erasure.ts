import { Directive, Int, Mutation } from 'type-graphql';
import type { SubgraphContext } from './context.js';
import type { EntityManager } from './orm.js';
import { assertCanErase } from './auth.js';
import { parseId } from './ids.js';
import { inTransaction } from './mutations.js';

/**
 * A subgraph's step of erasing a person: the gateway's `erasePerson` calls it on every instance.
 * Hidden from the public API (@inaccessible); only an admin of the person's region may run it.
 */
export function ErasureStep(subgraph: string): MethodDecorator {
  return (target, key, descriptor) => {
    Mutation(() => Int, { description: `Erasure of a person, the ${subgraph} part: removes or anonymises every reference; returns how many records changed.` })(target, key, descriptor);
    Directive('@inaccessible')(target, key, descriptor);
  };
}

/** Checks the viewer may erase the person, then runs the step in one transaction. */
export function eraseReferences(ctx: SubgraphContext, personId: string, step: (em: EntityManager) => Promise<number>): Promise<number> {
  const { region } = parseId(personId, 'person', 'personId');
  assertCanErase(ctx.viewer, region);
  return inTransaction(ctx, step);
}

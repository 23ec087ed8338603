import { randomUUID } from 'node:crypto';
import { ChangeSetType, type EntityManager, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Viewer } from './auth.js';
import { RegionalEntity } from './entity.js';

/** One write: who, when, what (the entity and the fields it touched, never their values) and in which region. */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['entityId'] })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'datetime' })
  at: Date = new Date();

  /** The token's subject; "system" for the demo data and migrations. */
  @Property({ type: 'string', length: 200 })
  actor: string;

  @Property({ type: 'string', length: 10 })
  action: 'create' | 'update' | 'delete';

  @Property({ type: 'string', length: 60 })
  entity: string;

  @Property({ type: 'string', length: 120 })
  entityId: string;

  @Property({ type: 'string', length: 2 })
  region: string;

  @Property({ type: 'text[]' })
  fields: string[] = [];
}

const actors = new WeakMap<EntityManager, Viewer>();

/** Names who writes through this EntityManager (the mutation's transaction). */
export function actAs(em: EntityManager, viewer: Viewer): void {
  actors.set(em, viewer);
}

const ACTIONS: Partial<Record<ChangeSetType, AuditEntry['action']>> = {
  [ChangeSetType.CREATE]: 'create', [ChangeSetType.UPDATE]: 'update', [ChangeSetType.DELETE]: 'delete',
};

/** Adds an audit entry to every flush that writes a record, in the same transaction. */
export class AuditSubscriber implements EventSubscriber {
  onFlush({ em, uow }: FlushEventArgs): void {
    const actor = actors.get(em as EntityManager)?.subject ?? 'system';
    for (const changeSet of uow.getChangeSets()) {
      const action = ACTIONS[changeSet.type];
      if (!action || !(changeSet.entity instanceof RegionalEntity)) continue;
      const record = changeSet.entity;
      const entry = Object.assign(new AuditEntry(), {
        actor, action, entity: changeSet.meta.className, entityId: record.id, region: record.region,
        fields: action === 'delete' ? [] : Object.keys(changeSet.payload).filter((f) => !['id', 'version', 'createdAt', 'updatedAt'].includes(f)),
      });
      uow.computeChangeSet(entry);
    }
  }
}

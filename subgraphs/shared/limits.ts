/** Rows one import request may carry (a file is sent in chunks of this size). */
export const MAX_IMPORT_ROWS = 1000;

/** Where an instance answers which regions its records refer to (signed requests of the gateway only). */
export const REFERENCES_PATH = '/references';

/**
 * The header of that answer naming where the instance's data stands (kit/references.ts
 * `dataVersion`): it moves with every write, whoever makes it, so the gateway can drop what it
 * kept from that instance the moment it does.
 */
export const DATA_VERSION_HEADER = 'hub-data-version';

/**
 * The gateway's own requests to an instance, apart from client operations: an instance logs them
 * at debug and counts them in `hub_internal_operations_total`, so a health probe every 2 s per
 * instance neither floods the log nor inflates `hub_graphql_operations_total`. Recognised by name
 * and exact text: the planner names every fetch it sends after the client's operation
 * (`Name__subgraph__0`), so no client operation reaches an instance looking like one of these.
 */
export const INTERNAL_OPERATIONS = {
  healthProbe: { operationName: 'HubHealthProbe', query: 'query HubHealthProbe { __typename }' },
  schemaCheck: { operationName: 'HubSchemaCheck', query: 'query HubSchemaCheck { _service { sdl } }' },
} as const;

export function isInternalOperation(operationName: string | null | undefined, query: string | undefined): boolean {
  return Object.values(INTERNAL_OPERATIONS).some((internal) => internal.operationName === operationName && internal.query === query);
}

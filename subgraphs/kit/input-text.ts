import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  BREAK, GraphQLError, Kind, visit,
  type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type ValueNode,
} from 'graphql';
import { describeCharacter, forbiddenCharacterIn, type ForbiddenCharacter } from './characters.js';
import { ErrorCode } from './errors.js';

export interface ForbiddenText {
  /** Where the text is: the argument and its input fields and list indices, e.g. `input.rows.3.name`. */
  field: string;
  /** The field or directive the argument belongs to, e.g. `createAlliance` or `@include`. */
  owner: string;
  character: ForbiddenCharacter;
}

type Variables = Readonly<Record<string, unknown>>;

/**
 * The first string among the operation's arguments that holds a forbidden character, whether
 * written inline or passed in a variable (or a variable's default), in the operation and every
 * fragment it spreads. Every field's arguments count: root fields, nested ones and `_entities`'
 * representations alike, so no resolver or scalar sees such a string.
 */
export function findForbiddenText(
  document: DocumentNode, operation: OperationDefinitionNode, variables: Variables = {},
): ForbiddenText | undefined {
  const defaults = new Map(operation.variableDefinitions?.map((d) => [d.variable.name.value, d.defaultValue]) ?? []);
  const fragments = new Map(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => [d.name.value, d]));

  const inJson = (value: unknown, field: string): Omit<ForbiddenText, 'owner'> | undefined => {
    if (typeof value === 'string') {
      const character = forbiddenCharacterIn(value);
      return character && { field, character };
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = inJson(item, `${field}.${index}`);
        if (found) return found;
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const found = inJson(item, `${field}.${key}`);
        if (found) return found;
      }
    }
    return undefined;
  };
  const inLiteral = (node: ValueNode, field: string): Omit<ForbiddenText, 'owner'> | undefined => {
    switch (node.kind) {
      case Kind.STRING: {
        const character = forbiddenCharacterIn(node.value);
        return character && { field, character };
      }
      case Kind.LIST:
        for (const [index, item] of node.values.entries()) {
          const found = inLiteral(item, `${field}.${index}`);
          if (found) return found;
        }
        return undefined;
      case Kind.OBJECT:
        for (const item of node.fields) {
          const found = inLiteral(item.value, `${field}.${item.name.value}`);
          if (found) return found;
        }
        return undefined;
      case Kind.VARIABLE: {
        const name = node.name.value;
        if (Object.hasOwn(variables, name)) return inJson(variables[name], field);
        const fallback = defaults.get(name);
        return fallback ? inLiteral(fallback, field) : undefined;
      }
      default:
        return undefined;
    }
  };

  let found: ForbiddenText | undefined;
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const spread = new Set<string>();
  const owners: string[] = [];
  while (pending.length && !found) {
    visit(pending.pop()!, {
      Field: { enter: (node) => { owners.push(node.name.value); }, leave: () => { owners.pop(); } },
      Directive: { enter: (node) => { owners.push(`@${node.name.value}`); }, leave: () => { owners.pop(); } },
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment && !spread.has(node.name.value)) {
          spread.add(node.name.value);
          pending.push(fragment);
        }
      },
      Argument(node) {
        const hit = inLiteral(node.value, node.name.value);
        if (!hit) return false;
        found = { ...hit, owner: owners.at(-1) ?? operation.operation };
        return BREAK;
      },
    });
  }
  return found;
}

/** The error a refused text gives: BAD_USER_INPUT naming the field, answered with HTTP 400. */
export function forbiddenTextError(found: ForbiddenText): GraphQLError {
  return new GraphQLError(
    `${found.field} of ${found.owner} contains ${describeCharacter(found.character)}; `
      + 'text may hold no control characters other than tab and line breaks, and no unpaired surrogates',
    { extensions: { code: ErrorCode.BAD_USER_INPUT, field: found.field, http: { status: 400 } } },
  );
}

/**
 * Whether a request may pass a forbidden character at all: only if its text holds one or an escape
 * (a literal's `\u0000`), or a string among its variables holds one. Most requests hold neither,
 * and then the document need not be walked.
 */
export function mayHoldForbiddenText(query: string, variables: Variables | undefined): boolean {
  return query.includes('\\') || forbiddenCharacterIn(query) !== undefined || (variables !== undefined && anyForbidden(variables));
}

function anyForbidden(value: unknown): boolean {
  if (typeof value === 'string') return forbiddenCharacterIn(value) !== undefined;
  if (Array.isArray(value)) return value.some(anyForbidden);
  if (value !== null && typeof value === 'object') return Object.values(value).some(anyForbidden);
  return false;
}

/**
 * Checks every string an operation passes, inline or in variables, once it is parsed and
 * validated and before anything runs: the single place all text input of a subgraph goes through.
 */
export function textInputPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (request.query !== undefined && !mayHoldForbiddenText(request.query, request.variables)) return;
          const found = operation && findForbiddenText(document, operation, request.variables ?? {});
          if (found) throw forbiddenTextError(found);
        },
      };
    },
  };
}

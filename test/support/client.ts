export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export type GraphQLClient = <T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GraphQLResponse<T>>;

/**
 * A minimal GraphQL-over-HTTP client, so tests exercise the real HTTP path. `sign` adds headers
 * computed from the exact body (the gateway's signature towards a subgraph).
 */
export function graphqlClient(url: string, sign?: (body: string) => Record<string, string>): GraphQLClient {
  return async (query, variables = {}, headers = {}) => {
    const body = JSON.stringify({ query, variables });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign?.(body), ...headers },
      body,
    });
    return (await response.json()) as GraphQLResponse;
  };
}

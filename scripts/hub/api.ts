/** A minimal client for the gateway's GraphQL API, with the caller's bearer token. */

export const DEFAULT_URL = 'http://localhost:4000/graphql';

export interface ApiOptions {
  url: string;
  token?: string;
}

export class ApiError extends Error {
  constructor(message: string, readonly code?: string, readonly extensions: { field?: string; region?: string } = {}) {
    super(message);
  }
}

interface GraphQLAnswer<T> { data?: T | null; errors?: { message: string; extensions?: { code?: string; field?: string; region?: string } }[] }

/** Runs one operation; any error (also a partial one, such as an unreachable region) is thrown as ApiError. */
export async function callApi<T>(api: ApiOptions, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(api.token ? { authorization: `Bearer ${api.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`cannot reach ${api.url}: ${(error as Error).cause ?? (error as Error).message}`, 'UNREACHABLE');
  }
  let answer: GraphQLAnswer<T>;
  try {
    answer = await response.json() as GraphQLAnswer<T>;
  } catch {
    throw new ApiError(`${api.url} answered HTTP ${response.status} without a GraphQL response`, `HTTP_${response.status}`);
  }
  const error = answer.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    throw new ApiError(`${error.message}${code ? ` (${code})` : ''}`, code, { field: error.extensions?.field, region: error.extensions?.region });
  }
  if (!answer.data) throw new ApiError(`${api.url} answered HTTP ${response.status} without data`, `HTTP_${response.status}`);
  return answer.data;
}

import { type Viewer } from '../../subgraphs/kit/auth.js';
import { pathOf, type RequestSigner } from '../../subgraphs/kit/signing.js';

/** An instance as the gateway addresses it: the signature is for its name in the topology. */
export interface Addressee {
  name: string;
  url: string;
}

export interface InstanceRequest {
  method?: 'GET' | 'POST';
  /** Another path on the instance's server than its GraphQL URL, e.g. `/references`. */
  path?: string;
  body?: string;
  viewer?: Viewer;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Every request from the gateway to an instance goes through here: signed for that instance, its
 * method, path and body and the viewer, so that it is of no use anywhere else or a second time.
 */
export function fetchInstance(signer: RequestSigner, instance: Addressee, request: InstanceRequest = {}): Promise<Response> {
  const url = request.path ? new URL(request.path, instance.url) : new URL(instance.url);
  const method = request.method ?? 'POST';
  const body = request.body ?? '';
  const signature = signer.sign({ audience: instance.name, method, path: pathOf(url), body, viewer: request.viewer });
  return fetch(url, {
    method,
    headers: { ...request.headers, ...signature },
    body: method === 'GET' ? undefined : body,
    signal: request.signal,
  });
}

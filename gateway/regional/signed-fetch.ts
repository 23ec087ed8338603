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
 * A request sent under a session the instance no longer holds (it restarted) is refused before it
 * runs, so it is sent once more with the gateway's own signature, which offers a new session.
 */
export async function fetchInstance(signer: RequestSigner, instance: Addressee, request: InstanceRequest = {}): Promise<Response> {
  const url = request.path ? new URL(request.path, instance.url) : new URL(instance.url);
  const method = request.method ?? 'POST';
  const body = request.body ?? '';
  const toSign = { audience: instance.name, method, path: pathOf(url), body, viewer: request.viewer };
  const send = () => fetch(url, {
    method,
    headers: { ...request.headers, ...signer.sign(toSign) },
    body: method === 'GET' ? undefined : body,
    signal: request.signal,
  });
  const bySession = signer.hasSession(instance.name);
  let response = await send();
  signer.answered(instance.name, response);
  if (response.status === 401 && bySession) {
    await response.body?.cancel();
    response = await send();
    signer.answered(instance.name, response);
  }
  return response;
}

import { Agent, request as undiciRequest } from 'undici';
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

/** An instance's answer, read whole: every caller needs all of it (answers are JSON). */
export interface InstanceResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Instance requests go over undici's own client with kept-alive connections, not `fetch`: the
 * WHATWG layer (streams, Request and Response objects) costs more CPU than the request itself,
 * and a regional query makes many of them.
 */
const connections = new Agent({ keepAliveTimeout: 4_000 });

/**
 * Every request from the gateway to an instance goes through here: signed for that instance, its
 * method, path and body and the viewer, so that it is of no use anywhere else or a second time.
 * A request sent under a session the instance no longer holds (it restarted) is refused before it
 * runs, so it is sent once more with the gateway's own signature, which offers a new session.
 */
export async function fetchInstance(signer: RequestSigner, instance: Addressee, request: InstanceRequest = {}): Promise<InstanceResponse> {
  const url = request.path ? new URL(request.path, instance.url) : new URL(instance.url);
  const method = request.method ?? 'POST';
  const body = request.body ?? '';
  const toSign = { audience: instance.name, method, path: pathOf(url), body, viewer: request.viewer };
  const send = () => exchange(url, method, { ...request.headers, ...signer.sign(toSign) }, method === 'GET' ? undefined : body, request.signal);
  const bySession = signer.hasSession(instance.name);
  let response = await send();
  signer.answered(instance.name, response);
  if (response.status === 401 && bySession) {
    response = await send();
    signer.answered(instance.name, response);
  }
  return response;
}

async function exchange(
  url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined,
): Promise<InstanceResponse> {
  try {
    const answer = await undiciRequest(url, { method, headers, body, signal, dispatcher: connections });
    const text = await answer.body.text();
    const received = answer.headers;
    return {
      status: answer.statusCode,
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      headers: { get: (name) => headerValue(received[name.toLowerCase()]) },
      text,
    };
  } catch (error) {
    // Timed out or aborted: the signal's reason (a TimeoutError) says which, as `fetch` would.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

const headerValue = (value: string | string[] | undefined): string | null =>
  value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;

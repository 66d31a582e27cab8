/**
 * The sockets under every HubSpot request. `@hubspot/api-client` 13.5 sends through node-fetch v2
 * without a timeout or an AbortSignal, but it lets a request middleware set the node-fetch `agent`.
 * Two things hang off that:
 * - an idle timeout: a keep-alive agent whose sockets are destroyed after `idleTimeoutMs` without
 *   traffic, so a request HubSpot never answers does not hold its socket after we gave up on it
 *   (the request runner's own deadline is what fails the attempt, at `timeoutMs`);
 * - a per-attempt agent selector: node-fetch asks for an agent once per hop, so a second ask is a
 *   redirect, which we refuse (as we refuse any origin other than the configured one).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** Thrown instead of following a redirect or connecting to an origin other than the configured one. */
export class RedirectRefusedError extends Error {
  constructor(readonly target: string) {
    super(`refused to follow a redirect or leave the HubSpot origin (to ${target})`);
    this.name = 'RedirectRefusedError';
  }
}

function destroyWhenIdle(socket: Duplex | null | undefined, ms: number): void {
  if (!(socket instanceof net.Socket)) return;
  // The agent's own `timeout` option re-arms this timer whenever the socket is reused.
  socket.setTimeout(ms);
  // Destroyed without an error: an idle socket may have no 'error' listener left, and an unheard
  // 'error' would crash the process. A request still on it fails with "socket hang up".
  socket.on('timeout', () => socket.destroy());
}

class IdleTimeoutHttpAgent extends http.Agent {
  constructor(
    private readonly idleMs: number,
    maxSockets: number,
  ) {
    super({ keepAlive: true, timeout: idleMs, maxSockets });
  }
  override createConnection(
    options: http.ClientRequestArgs,
    cb?: (err: Error | null, stream: Duplex) => void,
  ) {
    const socket = super.createConnection(options, cb);
    destroyWhenIdle(socket, this.idleMs);
    return socket;
  }
}

class IdleTimeoutHttpsAgent extends https.Agent {
  constructor(
    private readonly idleMs: number,
    maxSockets: number,
  ) {
    super({ keepAlive: true, timeout: idleMs, maxSockets });
  }
  override createConnection(options: https.RequestOptions, cb?: (err: Error | null, stream: Duplex) => void) {
    const socket = super.createConnection(options, cb);
    destroyWhenIdle(socket, this.idleMs);
    return socket;
  }
}

export interface HubSpotAgentOptions {
  /** The HubSpot base URL; picks http or https. */
  basePath: string;
  /** Destroy a socket after this long without traffic. */
  idleTimeoutMs: number;
  /** Sockets per host (default 20). */
  maxSockets?: number;
}

/** A keep-alive agent with an idle timeout, for HubSpot requests; share it between gateways if you like. */
export function createHubSpotAgent(options: HubSpotAgentOptions): http.Agent {
  const maxSockets = options.maxSockets ?? 20;
  return new URL(options.basePath).protocol === 'https:'
    ? new IdleTimeoutHttpsAgent(options.idleTimeoutMs, maxSockets)
    : new IdleTimeoutHttpAgent(options.idleTimeoutMs, maxSockets);
}

/** The parts of node-fetch v2's parsed URL (a legacy `url.parse` object, not a WHATWG URL) we read. */
export interface HopUrl {
  protocol?: string | null;
  host?: string | null;
}

/** node-fetch v2 accepts a function `(parsedUrl) => agent` in place of an agent and calls it once per hop. */
export type AgentSelector = (url: HopUrl) => http.Agent;

/** A selector for one attempt: the first hop must stay on `origin`; any further hop is a redirect. */
export function singleHopAgent(agent: http.Agent, origin: string): AgentSelector {
  let hops = 0;
  return (url: HopUrl) => {
    hops += 1;
    const hopOrigin = `${url.protocol ?? ''}//${url.host ?? ''}`;
    if (hops > 1 || hopOrigin !== origin) throw new RedirectRefusedError(url.host ?? 'unknown host');
    return agent;
  };
}

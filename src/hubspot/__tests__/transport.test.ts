/**
 * The transport on real loopback sockets: per-request timeouts on @hubspot/api-client 13.5's
 * node-fetch (servers that never answer or trickle: the attempt fails at the deadline, the socket
 * is freed, reads are retried, writes are not), connection resets and refused connections.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../core/errors.js';
import { testGateway } from './helpers.js';

interface TestServer {
  basePath: string;
  requests: string[];
  socketsClosed: () => number;
  close: () => Promise<void>;
}

async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handler(req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => {
      closed += 1;
      sockets.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    basePath: `http://127.0.0.1:${port}`,
    requests,
    socketsClosed: () => closed,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const never = () => undefined; // accept the request, never answer

describe('transport failures', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a read against a server that never answers fails at the deadline, retried, sockets destroyed', async () => {
    server = await startServer(never);
    const { gateway, events } = testGateway({
      basePath: server.basePath,
      timeoutMs: 250,
      retry: { maxAttempts: 2 },
    });
    const started = Date.now();
    const err = await caught(gateway.listTeams());
    const elapsed = Date.now() - started;
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('timed out');
    expect(server.requests).toEqual(['GET /settings/v3/users/teams', 'GET /settings/v3/users/teams']);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 250 - 10);
    expect(elapsed).toBeLessThan(2_000);
    // the idle timeout (deadline + 250 ms) destroys the hung sockets: nothing lingers until HubSpot gives up
    await new Promise((r) => setTimeout(r, 400));
    expect(server.socketsClosed()).toBe(2);
  });

  it('a create against a server that never answers is sent once and fails HUBSPOT_TEMPORARY', async () => {
    server = await startServer(never);
    const { gateway } = testGateway({ basePath: server.basePath, timeoutMs: 200 });
    const err = await caught(gateway.createObject('tasks', { properties: { hs_task_subject: 'x' } }));
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('not retried');
    expect(server.requests).toEqual(['POST /crm/v3/objects/tasks']);
  });

  it('raw GETs (account details, dispositions) time out too', async () => {
    server = await startServer(never);
    const { gateway } = testGateway({ basePath: server.basePath, timeoutMs: 200, retry: { maxAttempts: 1 } });
    const started = Date.now();
    expect((await caught(gateway.listCallDispositions())).code).toBe('HUBSPOT_TEMPORARY');
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(server.socketsClosed()).toBe(1);
  });

  it('the deadline covers the whole answer: a server trickling bytes is cut off', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"results":[');
      const timer = setInterval(() => res.write(' '), 50); // keeps the socket busy, never finishes
      res.on('close', () => clearInterval(timer));
    });
    const { gateway } = testGateway({ basePath: server.basePath, timeoutMs: 300, retry: { maxAttempts: 1 } });
    const started = Date.now();
    expect((await caught(gateway.listTeams())).code).toBe('HUBSPOT_TEMPORARY');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a connection reset is retried for a read', async () => {
    let calls = 0;
    server = await startServer((req, res) => {
      calls += 1;
      if (calls === 1) {
        req.socket.destroy(); // reset before any answer
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"results":[]}');
    });
    const { gateway, events } = testGateway({ basePath: server.basePath });
    await expect(gateway.listTeams()).resolves.toEqual([]);
    expect(events.map((e) => e.status)).toEqual([0, 200]);
  });

  it('a connection reset after a PATCH was sent is one request and HUBSPOT_TEMPORARY', async () => {
    server = await startServer((req) => req.socket.destroy());
    const { gateway, events } = testGateway({ basePath: server.basePath });
    const err = await caught(gateway.updateObject('deals', '5', { dealstage: 'closedwon' }));
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('network error; not retried');
    expect(server.requests).toEqual(['PATCH /crm/v3/objects/deals/5']);
    expect(events).toHaveLength(1);
  });

  it('a refused connection is retried even for a create: nothing was sent', async () => {
    const gone = await startServer(never);
    const basePath = gone.basePath;
    await gone.close();
    const { gateway, events } = testGateway({ basePath, retry: { maxAttempts: 2 } });
    const err = await caught(gateway.createObject('tasks', { properties: { hs_task_subject: 'x' } }));
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('could not connect');
    expect(events).toHaveLength(2);
  });
});

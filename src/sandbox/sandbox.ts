/**
 * createSandbox: wires portals, OAuth, limits, faults and stats behind the HTTP server.
 */
import { AppError } from '../core/errors.js';
import type { PortalFixture } from './fixture.js';
import { Router, type SandboxEnv } from './http.js';
import { Faults } from './faults.js';
import { OAuthAuthority, SANDBOX_OAUTH_CLIENT, staticTokenFor, type PortalDirectory } from './oauth.js';
import { PortalState } from './portal-state.js';
import { RateLimiter } from './rate-limiter.js';
import { accountRoutes } from './routes/account.js';
import { associationRoutes } from './routes/associations.js';
import { dispositionRoutes } from './routes/dispositions.js';
import { objectRoutes } from './routes/objects.js';
import { oauthRoutes } from './routes/oauth.js';
import { ownerRoutes } from './routes/owners.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { searchRoutes } from './routes/search.js';
import { settingsRoutes } from './routes/settings.js';
import { SandboxServer } from './server.js';
import { StatsCollector } from './stats.js';
import type { Sandbox, SandboxOptions, SandboxPortalState, SandboxStats } from './types.js';

/** Every route the sandbox serves. Search comes before the `:objectId` routes it would shadow. */
function buildRouter(): Router {
  return new Router().add(
    ...accountRoutes,
    ...ownerRoutes,
    ...settingsRoutes,
    ...pipelineRoutes,
    ...dispositionRoutes,
    ...searchRoutes,
    ...objectRoutes,
    ...associationRoutes,
    ...oauthRoutes,
  );
}

function latencyFn(option: SandboxOptions['latencyMs']): () => number {
  if (option === undefined) return () => 0;
  if (typeof option === 'number') {
    if (!(option >= 0)) throw new AppError('INVALID_INPUT', `sandbox latencyMs must be >= 0; got ${option}`);
    return () => option;
  }
  const { min, max } = option;
  if (!(min >= 0) || !(max >= min))
    throw new AppError('INVALID_INPUT', `sandbox latencyMs range must have 0 <= min <= max`);
  return () => min + Math.random() * (max - min);
}

class SandboxImpl implements Sandbox {
  readonly faults = new Faults();
  private readonly portals = new Map<number, PortalState>();
  private readonly now: () => number;
  private readonly oauth: OAuthAuthority;
  private readonly collector = new StatsCollector();
  private readonly server: SandboxServer;
  private url: string | undefined;

  constructor(options: SandboxOptions) {
    this.now = options.now ?? Date.now;
    const directory: PortalDirectory = {
      has: (id) => this.portals.has(id),
      user: (portalId, userId) => this.userOf(portalId, userId),
    };
    this.oauth = new OAuthAuthority(options.oauthClients ?? [SANDBOX_OAUTH_CLIENT], this.now, directory);
    for (const p of options.portals) this.addPortal(p);
    const env: SandboxEnv = { now: this.now, portals: this.portals, oauth: this.oauth };
    this.server = new SandboxServer({
      router: buildRouter(),
      env,
      limiter: new RateLimiter(options.limits),
      faults: this.faults,
      stats: this.collector,
      latency: latencyFn(options.latencyMs),
    });
  }

  get baseUrl(): string {
    if (this.url === undefined) throw new AppError('INTERNAL', 'sandbox: baseUrl read before start()');
    return this.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<{ baseUrl: string }> {
    this.url = await this.server.listen(port, host);
    return { baseUrl: this.url };
  }

  async stop(): Promise<void> {
    await this.server.close();
    this.url = undefined;
  }

  portalIds(): number[] {
    return [...this.portals.keys()];
  }

  tokenFor(portalId: number): string {
    this.requirePortal(portalId);
    return staticTokenFor(portalId);
  }

  addPortal(p: PortalFixture): void {
    const id = p.portal.portalId;
    if (this.portals.has(id)) throw new AppError('CONFLICT', `sandbox: portal ${id} is already loaded`);
    this.portals.set(id, new PortalState(p, new Date(this.now()).toISOString()));
  }

  portal(portalId: number): SandboxPortalState {
    return this.requirePortal(portalId).view(() => new Date(this.now()).toISOString());
  }

  stats(): SandboxStats {
    return this.collector.snapshot();
  }

  resetStats(): void {
    this.collector.reset();
  }

  issueAuthorizationCode(input: {
    portalId: number;
    clientId: string;
    redirectUri: string;
    scopes: string[];
    userId?: number;
  }): string {
    return this.oauth.issueCode(input);
  }

  uninstall(portalId: number, clientId?: string): void {
    this.requirePortal(portalId);
    this.oauth.uninstall(portalId, clientId);
  }

  private requirePortal(portalId: number): PortalState {
    const p = this.portals.get(portalId);
    if (!p) throw new AppError('NOT_FOUND', `sandbox: no portal ${portalId}`);
    return p;
  }

  /** The user an OAuth grant speaks for: the one named, else a super admin, else any user or owner. */
  private userOf(portalId: number, userId: number | undefined): { id: number; email: string } {
    const p = this.requirePortal(portalId);
    const fallbackEmail = (id: number) => `user-${id}@portal-${portalId}.sandbox.test`;
    if (userId !== undefined) {
      const u = p.users.find((x) => x.id === String(userId));
      const o = p.owners.find((x) => x.userId === userId);
      return { id: userId, email: u?.email ?? o?.email ?? fallbackEmail(userId) };
    }
    const u = p.users.find((x) => x.superAdmin) ?? p.users[0];
    if (u && /^\d+$/.test(u.id)) return { id: Number(u.id), email: u.email };
    const o = p.owners.find((x) => !x.archived && x.userId != null);
    if (o && o.userId != null) return { id: o.userId, email: o.email ?? fallbackEmail(o.userId) };
    return { id: 1, email: fallbackEmail(1) };
  }
}

/** Build a sandbox (not yet listening: call start()). */
export function createSandbox(options: SandboxOptions): Sandbox {
  return new SandboxImpl(options);
}

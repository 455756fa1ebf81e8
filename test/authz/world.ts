import { EVENT_STORE, EventStore } from '@accord/event-store';
import { ReadYourWrites } from '@accord/platform';
import { initPlatformAdmin } from '../../apps/cli/src/commands/admin-init';
import { RunningApi, startApi } from '../api/support/api-harness';

export type OrgRole = 'ig-lead' | 'practitioner' | 'auditor';
export const ORG_ROLES: readonly OrgRole[] = ['ig-lead', 'practitioner', 'auditor'];

export interface WorldUser {
  userId: string;
  tokenId: string;
  token: string;
  role: string;
  /** Null for the platform admin. */
  orgId: string | null;
}

export interface WorldOrg {
  id: string;
  users: Record<OrgRole, WorldUser>;
}

/** A response, its body parsed when it is JSON (tests assert its shape). */
export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/** A tiny HTTP client for the API under test, acting with one token (or none). */
export class ApiClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  as(token: string | undefined): ApiClient {
    return new ApiClient(this.url, token);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      body: /json/.test(type) && text ? JSON.parse(text) : text,
    };
  }

  get = (path: string, options?: RequestOptions) => this.request('GET', path, options);
  post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', path, { body: body ?? {}, ...(headers ? { headers } : {}) });
  delete = (path: string, body?: unknown) => this.request('DELETE', path, body === undefined ? {} : { body });

  /** Like request(), but fails the test with the problem's type unless the status is `expected`. */
  async ok(method: string, path: string, expected: number, options: RequestOptions = {}): Promise<Reply> {
    const reply = await this.request(method, path, options);
    if (reply.status !== expected) {
      throw new Error(
        `${method} ${path}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    return reply;
  }
}

let counter = 0;
/** A fresh slug-shaped id, unique within the run. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export const orgBody = (id: string, name = `Organisation ${id}`) => ({
  id,
  name,
  kind: 'local-authority',
  jurisdiction: 'GB-ENG',
  icoRegistration: 'Z1234567',
});

/**
 * A seeded platform, built once per suite and shared by every row: the admin, and two UK organisations
 * (`own` and `other`) with one IG lead, practitioner and auditor each, all having accepted the access
 * agreement. Helpers make fresh data for rows that change something.
 */
export class World {
  private constructor(
    readonly api: RunningApi,
    readonly admin: WorldUser,
    readonly orgs: { own: WorldOrg; other: WorldOrg },
  ) {}

  get url(): string {
    return this.api.url;
  }

  client(token?: string): ApiClient {
    return new ApiClient(this.api.url, token);
  }

  get asAdmin(): ApiClient {
    return this.client(this.admin.token);
  }

  org(side: 'own' | 'other'): WorldOrg {
    return this.orgs[side];
  }

  static async build(api?: RunningApi): Promise<World> {
    const running = api ?? (await startApi());
    const admin = await bootstrapAdmin(running);
    const world = new World(running, admin, {} as { own: WorldOrg; other: WorldOrg });
    const own = await world.newOrganisation('own');
    const other = await world.newOrganisation('other');
    Object.assign(world.orgs, { own, other });
    return world;
  }

  /**
   * A World on an api this process did not start (a built process, one node of a cluster), whose platform
   * admin was already made; its close() stops nothing.
   */
  static async at(url: string, admin: WorldUser): Promise<World> {
    const api = { url, close: async () => undefined } as unknown as RunningApi;
    const world = new World(api, admin, {} as { own: WorldOrg; other: WorldOrg });
    Object.assign(world.orgs, {
      own: await world.newOrganisation('own'),
      other: await world.newOrganisation('other'),
    });
    return world;
  }

  /** Registers an organisation with one user of each role, each having accepted the access agreement. */
  async newOrganisation(prefix = 'org'): Promise<WorldOrg> {
    const id = uniqueId(prefix);
    await this.asAdmin.ok('POST', '/organisations', 201, { body: orgBody(id) });
    const users = {} as Record<OrgRole, WorldUser>;
    for (const role of ORG_ROLES) users[role] = await this.enrol(id, role);
    return { id, users };
  }

  /** A working token of an IG lead of each partner organisation, once it has one (the enroller of its users). */
  private readonly leads = new Map<string, string>();

  /**
   * A fresh user of `orgId`, with the access agreement accepted unless told otherwise. As the platform
   * allows (issue 12): the admin enrols platform staff, and a partner organisation's first IG lead, whose
   * enrolment token is at once exchanged for their own; that IG lead enrols everyone else.
   */
  async enrol(orgId: string, role: string, options: { accept?: boolean } = {}): Promise<WorldUser> {
    const n = uniqueId('user');
    const body = { name: `Test ${role} ${n}`, email: `${n}@${orgId}.test.example`, role };
    let user: { userId: string; tokenId: string; token: string };
    const lead = this.leads.get(orgId);
    if (orgId === 'platform') {
      user = (await this.asAdmin.ok('POST', `/organisations/${orgId}/users`, 201, { body })).body;
    } else if (lead) {
      user = (await this.client(lead).ok('POST', `/organisations/${orgId}/users`, 201, { body })).body;
    } else if (role === 'ig-lead') {
      const enrolled = (await this.asAdmin.ok('POST', `/organisations/${orgId}/users`, 201, { body })).body;
      const own = await this.client(enrolled.token).ok('POST', `/users/${enrolled.userId}/tokens`, 201);
      user = own.body;
      this.leads.set(orgId, user.token);
    } else {
      await this.enrol(orgId, 'ig-lead');
      return this.enrol(orgId, role, options);
    }
    if (options.accept !== false) {
      await this.client(user.token).ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
    }
    return { userId: user.userId, tokenId: user.tokenId, token: user.token, role, orgId };
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

/** `accord admin init` against the api's own store, then waits until the admin's token is projected. */
export async function bootstrapAdmin(api: RunningApi): Promise<WorldUser> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  const admin = await initPlatformAdmin(store, {
    name: 'Platform Admin',
    email: 'admin@platform.test.example',
    platformSecret: api.config.platformSecret,
  });
  await api.app.get(ReadYourWrites).catchUp();
  return { ...admin, role: 'admin', orgId: null };
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '@accord/platform';
import { FIXTURE_PATH } from '../../../apps/cli/src/demo/staffordshire-fixture';
import { RunningApi, startApi } from '../../api/support/api-harness';
import { ROOT } from '../../api/support/built-apps';
import { ApiClient, Reply, World } from '../../authz/world';
import { accord, type CliRun, ensureBuiltCli } from '../../cli-documents/support/accord-cli';

/** The seed agreement (docs/architecture.md §17): the one copy in the repository, which the demo carries. */
export const FIXTURE_FILE = join(ROOT, FIXTURE_PATH);

export interface FixtureOrganisation {
  id: string;
  name: string;
  kind: string;
  jurisdiction: string;
}

export interface Fixture {
  organisations: FixtureOrganisation[];
  agreement: {
    title: string;
    tier: number;
    category: string;
    leadOrg: string;
    parties: string[];
    purposes: string[];
    lawfulBases: string[];
    dataCategories: string[];
    retentionPeriod: string;
    reviewIntervalMonths: number;
    versions: { version: number; reasonForChange: string }[];
    signatures: { org: string; position: string }[];
  };
}

export const fixture = (): Fixture => JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as Fixture;

/** The body of POST /agreements for the seed agreement, in the vocabulary of docs/architecture.md §8.1. */
export function seedAgreementBody(f: Fixture = fixture()) {
  const a = f.agreement;
  return {
    title: a.title,
    purposes: a.purposes,
    tier: a.tier,
    category: a.category,
    leadOrg: a.leadOrg,
    parties: a.parties,
    lawfulBases: a.lawfulBases,
    dataCategories: a.dataCategories,
    retentionPeriod: a.retentionPeriod,
    reviewIntervalMonths: a.reviewIntervalMonths,
  };
}

/**
 * The platform's clock, moved by the test. The api's handlers, id generator and queries all read the one
 * Clock instance, so replacing its `now` on that instance moves time for the whole app (Nest has no
 * overrideProvider without @nestjs/testing, which the project does not install).
 */
export class TestClock {
  private current: number;

  constructor(api: RunningApi, start: string) {
    this.current = Date.parse(start);
    const clock = api.app.get(Clock);
    clock.now = () => new Date(this.current);
  }

  set(iso: string): void {
    this.current = Date.parse(iso);
  }

  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }

  now(): Date {
    return new Date(this.current);
  }
}

/** The Staffordshire partnership on a running api: its eleven organisations, each with an IG lead. */
export interface Partnership {
  world: World;
  clock: TestClock;
  fixture: Fixture;
  /** An IG lead of each fixture organisation, by organisation id. */
  lead: Record<string, ApiClient>;
  /** A practitioner of the lead organisation. */
  practitioner: ApiClient;
  close(): Promise<void>;
}

let ico = 1000000;

/** `env`: extra configuration for the api (the tamper suite's POSTGRES_URL). */
export async function buildPartnership(start: string, env?: Record<string, string>): Promise<Partnership> {
  const api = await startApi(env ? { env } : {});
  const clock = new TestClock(api, start);
  const world = await World.build(api);
  const f = fixture();
  const lead: Record<string, ApiClient> = {};
  for (const org of f.organisations) {
    ico += 1;
    await world.asAdmin.ok('POST', '/organisations', 201, {
      body: { ...org, icoRegistration: `Z${ico}` },
    });
    lead[org.id] = world.client((await world.enrol(org.id, 'ig-lead')).token);
  }
  const practitioner = world.client((await world.enrol(f.agreement.leadOrg, 'practitioner')).token);
  return { world, clock, fixture: f, lead, practitioner, close: () => world.close() };
}

/** The partnership for a suite that drives the built CLI as well as the api. */
export interface CliPartnership extends Partnership {
  /** A folder for the files the suite hands the CLI, removed on close. */
  dir: string;
  /**
   * Runs the built `accord` as the organisation's IG lead. Asynchronous on purpose: the api answers from
   * this same process while the CLI runs.
   */
  accord(org: string, ...args: string[]): Promise<CliRun>;
}

/** As buildPartnership, with the CLI built and a scratch folder. */
export async function buildCliPartnership(start: string): Promise<CliPartnership> {
  ensureBuiltCli();
  const dir = mkdtempSync(join(tmpdir(), 'accord-partnership-cli-'));
  const p = await buildPartnership(start).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const close = async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    ...p,
    dir,
    accord: (org, ...args) => accord({ url: p.world.url, token: p.lead[org]!.token! }, args),
    close,
  };
}

/** The problem type's code: `https://accord.example/problems/agreement.not-a-party` -> `agreement.not-a-party`. */
export const problemCode = (reply: Reply): string | undefined =>
  typeof reply.body?.type === 'string' ? reply.body.type.split('/').pop() : undefined;

/** Every party of the seed agreement signs `version` in the fixture's order; returns each reply. */
export async function signAll(
  p: Partnership,
  id: string,
  parties = p.fixture.agreement.parties,
): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const org of parties) {
    const position =
      p.fixture.agreement.signatures.find((s) => s.org === org)?.position ?? 'Caldicott Guardian';
    replies.push(
      await p.lead[org]!.ok('POST', `/agreements/${id}/signatures`, 201, {
        body: { signatory: `Signatory for ${org}`, position },
      }),
    );
  }
  return replies;
}

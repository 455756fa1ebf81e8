import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Phase,
  PhaseContext,
  PhaseResult,
  Workload,
  collectGarbage,
  compare,
  figure,
  medianInfo,
  scaled,
  timedInFlight,
} from './harness';
import { keepAliveAgent, send, startNodeServer } from './share-api';

/**
 * (l) The HTTP framework alone: Nest on Express (what the api runs) against Nest on Fastify
 * (`@nestjs/platform-fastify`, a dev dependency for this measurement only) and a bare node:http server, each
 * serving the same authenticated GET and the same 4 KiB raw-body POST (bench/framework-app.ts) in its own
 * process, CONCURRENCY requests in flight over keep-alive connections. The figure that matters is the
 * server's CPU per request: it is what the api spends before any of its own work, on 2 shared cores.
 */

const CONCURRENCY = 8;
const WARM_UP = 500;
const FRAMEWORKS = ['raw', 'express', 'fastify'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const ROUTES = ['ping', 'upload'] as const;
type Route = (typeof ROUTES)[number];

interface FrameworkArgs {
  framework: Framework;
  route: Route;
  count: number;
  [k: string]: unknown;
}

async function serverPhase(ctx: PhaseContext): ReturnType<Phase> {
  const { framework, route, count } = ctx.args as unknown as FrameworkArgs;
  const token = randomBytes(24).toString('base64url');
  const server = await startNodeServer(join(__dirname, 'framework-app.js'), `framework-${framework}`, {
    FRAMEWORK: framework,
    TOKEN: token,
  });
  try {
    const agent = keepAliveAgent(CONCURRENCY);
    const body = randomBytes(4 * 1024);
    const request = async (i: number) => {
      const r =
        route === 'ping'
          ? await send(server.url, 'GET', '/ping', { token, agent })
          : await send(server.url, 'POST', '/upload', {
              token,
              agent,
              body,
              headers: { 'content-type': 'application/octet-stream' },
            });
      if (r.status !== (route === 'ping' ? 200 : 201))
        throw new Error(`${framework} ${route} ${i}: ${r.status}`);
    };
    await timedInFlight(CONCURRENCY, WARM_UP, request);
    collectGarbage();
    const cpu = server.cpuSeconds();
    const seconds = await timedInFlight(CONCURRENCY, count, request, WARM_UP);
    const serverCpuMsPerRequest = Math.round(((server.cpuSeconds() - cpu) * 100_000) / count) / 100;
    agent.destroy();
    return { ops: count, seconds, peakRssMb: server.peakRssMib(), info: { serverCpuMsPerRequest } };
  } finally {
    await server.stop();
  }
}

export const framework: Workload = {
  name: 'framework',
  title: '(l) The HTTP framework alone: Nest on Express vs Nest on Fastify vs bare node:http',
  goal: "a measured figure for the Fastify lever (docs/architecture.md §37.1); the api's framework is Express",
  phases: { server: serverPhase },
  async run(ctx) {
    const repeats = ctx.scale >= 1 ? 3 : 1;
    const count = scaled(5_000, ctx.scale, 500);
    const results = new Map<string, PhaseResult[]>();
    for (let run = 0; run < repeats; run++)
      for (const route of ROUTES)
        for (const fw of FRAMEWORKS) {
          ctx.progress(`framework: ${fw} ${route} (run ${run + 1}/${repeats})`);
          const r = await ctx.phase('framework', 'server', { framework: fw, route, count });
          results.set(`${fw} ${route}`, [...(results.get(`${fw} ${route}`) ?? []), r]);
        }
    const label = (fw: Framework, route: Route) =>
      `${fw === 'raw' ? 'bare node:http' : `Nest on ${fw === 'express' ? 'Express' : 'Fastify'}`}: ` +
      `${route === 'ping' ? 'authenticated GET, small JSON' : 'authenticated POST of 4 KiB, hashed'}, ${CONCURRENCY} in flight`;
    const f = (fw: Framework, route: Route) =>
      figure(label(fw, route), results.get(`${fw} ${route}`)!, 'requests/s');
    const cpu = (fw: Framework, route: Route) =>
      medianInfo(results.get(`${fw} ${route}`)!, 'serverCpuMsPerRequest');
    const figures = ROUTES.flatMap((route) => FRAMEWORKS.map((fw) => f(fw, route)));
    return {
      name: this.name,
      title: this.title,
      goal: this.goal,
      opsLabel: 'requests',
      figures,
      comparisons: ROUTES.flatMap((route) => [
        compare(
          `${route}: Nest on Express vs bare node:http`,
          f('express', route),
          f('raw', route),
          'slowdown',
        ),
        compare(
          `${route}: Nest on Fastify vs Nest on Express`,
          f('fastify', route),
          f('express', route),
          'speedup',
        ),
      ]),
      notes: [
        `${count} timed requests after ${WARM_UP} untimed, ${CONCURRENCY} in flight over keep-alive connections; each server in its own process (bench/framework-app.ts), the clients in the bench process, all on the same 2 cores.`,
        'Server CPU ms per request (median over runs; user + system, all threads): ' +
          ROUTES.map(
            (route) => `${route}: ${FRAMEWORKS.map((fw) => `${fw} ${cpu(fw, route)}`).join(', ')}`,
          ).join('; ') +
          '.',
      ],
    };
  },
};

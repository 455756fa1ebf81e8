import { AnyMatrixRow, everyone } from '../matrix';

/** Operations endpoints: public, so a load balancer and Prometheus need no token. */
export const rows: AnyMatrixRow[] = [
  { method: 'GET', path: '/health', request: () => ({ path: '/health' }), expect: everyone(200) },
  { method: 'GET', path: '/health/live', request: () => ({ path: '/health/live' }), expect: everyone(200) },
  { method: 'GET', path: '/health/ready', request: () => ({ path: '/health/ready' }), expect: everyone(200) },
  {
    method: 'GET',
    path: '/metrics',
    undocumented: true,
    request: () => ({ path: '/metrics' }),
    expect: everyone(200),
  },
];

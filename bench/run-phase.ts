import { PhaseResult, peakRssMb, progress } from './harness';
import { phaseRegistry } from './workloads';

/** Child-process entry: runs the one phase the parent sends, reports its result, exits. */
process.once('message', (msg: { workload: string; phase: string; args: PhaseResult['info'] }) => {
  void (async () => {
    try {
      const phase = phaseRegistry[msg.workload]?.[msg.phase];
      if (!phase) throw new Error(`unknown phase ${msg.workload}/${msg.phase}`);
      const r = await phase({
        args: msg.args ?? {},
        progress: (m) => progress(`  ${msg.workload}/${msg.phase}: ${m}`),
      });
      // Read maxrss after the phase has finished, so it covers the whole phase including its setup.
      const result: PhaseResult = { ...r, peakRssMb: 'peakRssMb' in r ? r.peakRssMb : peakRssMb() };
      process.send!({ ok: true, result }, () => process.exit(0));
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.send!({ ok: false, error }, () => process.exit(1));
    }
  })();
});

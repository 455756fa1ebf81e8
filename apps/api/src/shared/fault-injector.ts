import { Inject, Injectable } from '@nestjs/common';
import { ACCORD_CONFIG, AppLogger, FaultPoint, LoadedConfig } from '@accord/platform';

/** The exit code of a process killed by SIGKILL (128 + 9), which is what the crash suites simulate. */
export const FAULT_EXIT_CODE = 137;

/**
 * Test-only (ACCORD_FAULT, see FaultPoint): ends the process abruptly at a named point, so a crash suite can
 * check what a real crash there leaves behind. A no-op unless configured.
 */
@Injectable()
export class FaultInjector {
  constructor(
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly logger: AppLogger,
  ) {}

  reached(point: FaultPoint): void {
    if (this.config.fault !== point) return;
    this.logger.warn('ACCORD_FAULT: exiting at a fault point', { point });
    process.exit(FAULT_EXIT_CODE);
  }
}

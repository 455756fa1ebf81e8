'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS preload (node --require), not compiled */
/**
 * Preloaded into a CLI child by accord-cli.ts when a test measures memory: on exit, writes the process's
 * peak resident set size in KiB to ACCORD_TEST_PEAK_RSS_FILE. VmHWM of /proc/self/status belongs to the
 * memory map made at exec; getrusage's ru_maxrss is not reset by exec and can report the spawning process's
 * (here a Jest worker's) size instead, so it is only the fallback where /proc is missing.
 */
const { readFileSync, writeFileSync } = require('node:fs');

function peakKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const target = process.env.ACCORD_TEST_PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(peakKiB())));

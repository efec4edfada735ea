/**
 * Loaded into a daemon under `npm run bench` with NODE_OPTIONS=--import. Measures, inside
 * the daemon, how long each log call held the event loop (the whole synchronous path:
 * pino's serialization, the multistream, libvirt's line, the file's buffer), and the
 * event loop's longest delay of any cause (perf_hooks, 1 ms resolution), and the longest
 * garbage-collection pause: a log call's wall time includes any pause or descheduling
 * that happened during it. On SIGUSR2 it
 * writes the figures since the last SIGUSR2 to $LOOP_MONITOR_FILE as JSON and starts over.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { DaemonLogger, type Logger } from '../src/daemons/logging/index.js';

const file = process.env.LOOP_MONITOR_FILE;
if (file) {
  let longestLogCallMs = 0;
  let logCalls = 0;
  let logCallsOver1Ms = 0;
  let longestGcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > longestGcMs) longestGcMs = e.duration;
  }).observe({ entryTypes: ['gc'] });
  const timed = (logger: Logger): Logger => {
    const time =
      (write: (msg: string) => void) =>
      (msg: string): void => {
        const t0 = performance.now();
        write(msg);
        const ms = performance.now() - t0;
        logCalls++;
        if (ms > 1) logCallsOver1Ms++;
        if (ms > longestLogCallMs) longestLogCallMs = ms;
      };
    return { debug: time(logger.debug), info: time(logger.info), warn: time(logger.warn), error: time(logger.error), enabled: logger.enabled, child: logger.child };
  };
  const child = DaemonLogger.prototype.child;
  DaemonLogger.prototype.child = function (this: DaemonLogger, category: string): Logger {
    return timed(child.call(this, category));
  };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  process.on('SIGUSR2', () => {
    // Written aside and renamed, so the bench never reads a half-written file.
    writeFileSync(`${file}.part`, JSON.stringify({ longestLogCallMs, logCalls, logCallsOver1Ms, longestGcMs, loopDelayMaxMs: delay.max / 1e6 }));
    renameSync(`${file}.part`, file);
    longestLogCallMs = 0;
    logCalls = 0;
    logCallsOver1Ms = 0;
    longestGcMs = 0;
    delay.reset();
  });
}

import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';

/**
 * CPU time from /proc, so a benchmark can report CPU per request: unlike latency, it does not depend
 * on how busy the machine is (other work only delays the bot, it does not add to the bot's CPU).
 * Linux only; figures are in milliseconds.
 */
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux.

/** utime + stime of one process, in ms; 0 when it has exited. */
export function processCpuMs(pid: number | 'self'): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Whether /proc can be read here (Linux); elsewhere the CPU figures are left out. */
export const procAvailable = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

/**
 * The PostgreSQL backends serving one database: only they, since other clients of a shared server (or
 * its background writers) are not this benchmark's. A server on another machine has no /proc here:
 * its figure then reads 0 and the report says so.
 */
export function backendCpu(serverUrl: string, database: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const pids = async () =>
    (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database}`).map(
      (r) => r.pid,
    );
  return {
    /** Total CPU of the database's current backends, keyed by pid, to subtract from a later reading. */
    async read(): Promise<Map<number, number>> {
      return new Map((await pids()).map((pid) => [pid, processCpuMs(pid)]));
    },
    /** CPU spent since `before` by the backends alive now (one opened since counts from its start). */
    async since(before: Map<number, number>): Promise<number> {
      let total = 0;
      for (const [pid, ms] of await this.read()) total += ms - (before.get(pid) ?? 0);
      return total;
    },
    /**
     * CPU the database's backends spent while `job` ran, parallel workers included: they exit with their
     * query, so the backends are read every `everyMs` and each one's last reading counts.
     */
    async during<T>(job: () => Promise<T>, everyMs = 50): Promise<{ result: T; backendMs: number }> {
      const start = await this.read();
      const last = new Map(start);
      let sampling = Promise.resolve();
      const sample = () => {
        sampling = sampling.then(async () => {
          for (const [pid, ms] of await this.read()) last.set(pid, ms);
        });
        return sampling;
      };
      const timer = setInterval(sample, everyMs);
      try {
        const result = await job();
        await sample();
        let backendMs = 0;
        for (const [pid, ms] of last) backendMs += ms - (start.get(pid) ?? 0);
        return { result, backendMs };
      } finally {
        clearInterval(timer);
      }
    },
    close: () => admin.end(),
  };
}

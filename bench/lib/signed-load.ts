/**
 * A load generator in a child process, so the client's own work (signing, HTTP) does not share the
 * event loop of the Pulse under test, as Slack would not. Sends pre-built form bodies, `concurrency`
 * at a time, each freshly signed, and returns every latency.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signSlackRequest } from '../../src/sandbox/slack-requests.ts';

export interface LoadPlan {
  url: string;
  signingSecret: string;
  bodies: string[];
  concurrency: number;
  /** A body must contain this to count as answered. */
  expect: string;
}

export interface LoadResult {
  latencies: number[];
  failures: number;
  seconds: number;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (next < plan.bodies.length) {
        const body = plan.bodies[next++]!;
        const t0 = performance.now();
        const response = await fetch(plan.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...signSlackRequest(plan.signingSecret, body, Math.floor(Date.now() / 1000)),
          },
          body,
        });
        const text = await response.text();
        latencies.push(performance.now() - t0);
        if (response.status !== 200 || !text.includes(plan.expect)) failures++;
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

export function runSignedLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load-client'], { execArgv: ['--import', 'tsx'] });
    child.once('message', (result) => {
      resolve(result as LoadResult);
      child.kill();
    });
    child.once('error', reject);
    child.send(plan);
  });
}

if (process.argv.includes('--load-client')) {
  process.once('message', async (plan) => process.send!(await run(plan as LoadPlan)));
}

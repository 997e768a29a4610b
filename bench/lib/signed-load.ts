/**
 * A load generator in a child process, so the client's own work (signing, HTTP) does not share the
 * event loop of the Pulse under test, as Slack would not. Sends pre-built form bodies, `concurrency`
 * at a time, each freshly signed, and returns every latency.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { signSlackRequest } from '../../sandbox/slack-requests.ts';

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

// node:http with keep-alive costs the client less CPU than fetch, leaving more of the 2 cores to Pulse.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
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
        const { status, text } = await post(plan.url, body, {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(plan.signingSecret, body, Math.floor(Date.now() / 1000)),
        });
        latencies.push(performance.now() - t0);
        if (status !== 200 || !text.includes(plan.expect)) failures++;
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

/**
 * Starts the load client and hands it the plan; `run()` then sends the requests. Forking the client and
 * passing it the bodies cost the calling process CPU: done before `run()`, they stay out of a CPU
 * figure read around it.
 */
export function prepareSignedLoad(plan: LoadPlan): Promise<{ run(): Promise<LoadResult> }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load-client'], { execArgv: ['--import', 'tsx'] });
    child.once('error', reject);
    child.once('message', () =>
      resolve({
        run: () =>
          new Promise<LoadResult>((done) => {
            child.once('message', (result) => {
              done(result as LoadResult);
              child.kill();
            });
            child.send('go');
          }),
      }),
    );
    child.send(plan);
  });
}

export async function runSignedLoad(plan: LoadPlan): Promise<LoadResult> {
  return (await prepareSignedLoad(plan)).run();
}

if (process.argv.includes('--load-client')) {
  process.once('message', (plan) => {
    process.once('message', async () => process.send!(await run(plan as LoadPlan)));
    process.send!('ready');
  });
}

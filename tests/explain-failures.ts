import { afterEach } from 'vitest';
import { explainFailure } from './helpers/pulse-with-slack.ts';

// After a failed test, what the Pulse processes it drives logged and were last asked of Slack.
afterEach((context) => {
  if (context.task.result?.state !== 'fail') return;
  const explained = explainFailure();
  if (explained) console.error(explained);
});

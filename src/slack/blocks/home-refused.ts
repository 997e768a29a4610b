import type { View } from '@slack/types';

/** The App Home of someone who may not read account data: why, and nothing about any account. */
export function refusedHomeView(refusal: string): View {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Pulse' } },
      { type: 'section', text: { type: 'mrkdwn', text: refusal } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '`/cs help` lists what Pulse can do.' }] },
    ],
  };
}

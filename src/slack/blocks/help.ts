import type { KnownBlock } from '@slack/types';
import { type Subcommand, USAGE } from '../constants.ts';

/** `/cs help`: every subcommand with what it does. */
export function helpBlocks(): KnownBlock[] {
  const lines = (Object.keys(USAGE) as Subcommand[]).map((s) => `\`${USAGE[s].usage}\` — ${USAGE[s].about}`);
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Pulse* tells you which customers are at risk and why.\n${lines.join('\n')}`,
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '`<account>` is an account key (`acme`) or its name; quote names with spaces: `"Acme Corp"`.',
        },
      ],
    },
  ];
}

/** The answer to malformed input: what was wrong and the subcommand's usage line. */
export function usageBlocks(problem: string, usage: string): KnownBlock[] {
  return [{ type: 'section', text: { type: 'mrkdwn', text: `${problem}\nUsage: \`${usage}\`` } }];
}

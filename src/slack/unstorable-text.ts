import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';
import { findUnstorableText } from '../domain/unstorable-text.ts';

export const COMMAND_TEXT_REFUSAL =
  'Your command contains a character Pulse cannot read (a NUL or a broken character). Remove it and try again.';
export const FIELD_REFUSAL =
  'This contains a character Pulse cannot store (a NUL or a broken character). Remove it and try again.';
const REQUEST_REFUSAL = 'Slack sent this with a character Pulse cannot read, so nothing was done.';

/**
 * Bolt middleware: a request carrying text the database cannot store (see domain/unstorable-text) goes
 * no further than here. A slash command is answered ephemerally, a modal submission with the error
 * under each field that holds such text; a click is acknowledged and ignored, as is an event.
 */
export function refuseUnstorableText(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const found = findUnstorableText(args.body);
    if (!found.length) return args.next();
    const body = args.body as { type?: string; command?: string };
    // The fields' paths and values stay out of the log: they are what the person typed.
    logger.warn({ type: body.type ?? 'command', fields: found.length }, 'slack request with unstorable text');
    if (!('ack' in args) || !args.ack) return;
    const ack = args.ack as (response?: unknown) => Promise<void>;
    if (body.command !== undefined) {
      const inText = found.some(({ path }) => path[0] === 'text');
      return ack({ response_type: 'ephemeral', text: inText ? COMMAND_TEXT_REFUSAL : REQUEST_REFUSAL });
    }
    if (body.type === 'view_submission') {
      // view.state.values.<block_id>.<action_id>…: Slack shows the error under that input block.
      const blocks = found.flatMap(({ path }) =>
        path[0] === 'view' && path[1] === 'state' && path[2] === 'values' && typeof path[3] === 'string'
          ? [path[3]]
          : [],
      );
      if (blocks.length) {
        return ack({
          response_action: 'errors',
          errors: Object.fromEntries(blocks.map((block) => [block, FIELD_REFUSAL])),
        });
      }
    }
    return ack();
  };
}

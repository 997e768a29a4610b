import { SlackDouble, type SlackDoubleOptions } from '../../sandbox/slack-double.ts';

export type {
  RecordedCall,
  SandboxView,
  ScriptedResponse,
  SlackDoubleChange,
  SlackEphemeral,
  SlackMessage,
} from '../../sandbox/slack-double.ts';
export { SlackDouble } from '../../sandbox/slack-double.ts';
export {
  blockActionsPayload,
  eventCallbackBody,
  interactivityBody,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../sandbox/slack-requests.ts';
export {
  type InteractionResult,
  SlackClientSimulator,
  type SubmitResult,
} from '../../sandbox/slack-simulator.ts';

export const TEST_BOT_TOKEN = 'xoxb-test-0000-double';
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';

/**
 * A Slack Web API double on its own port: `url` goes into `SLACK_API_URL` (or WebClient's `slackApiUrl`).
 * Close it in `afterAll`.
 */
export async function startSlackDouble(
  options: Partial<SlackDoubleOptions> = {},
): Promise<{ double: SlackDouble; url: string; close(): Promise<void> }> {
  const double = new SlackDouble({ botToken: TEST_BOT_TOKEN, ...options });
  const { url, close } = await double.listen();
  return { double, url, close };
}

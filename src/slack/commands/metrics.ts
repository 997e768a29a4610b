import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import type { RetentionMetrics } from '../../domain/retention-metrics.ts';
import { healthBacktestReport } from '../../services/retention.ts';
import { retentionMetrics } from '../../services/retention-metrics.ts';
import { backtestBlocks, backtestText, metricsBlocks, metricsText } from '../blocks/metrics.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';
import type { CsCommand } from './parser.ts';

/**
 * `/cs metrics`: the retention figures of a period, ephemeral, then the 12-month chart as a PNG in the
 * person's DM with Pulse (Slack's files.uploadV2, as the review's .ics): the conversation the command
 * was typed in may be one customers read. `/cs metrics backtest`: the health score's track record.
 */
export async function metricsAnswer(
  command: Extract<CsCommand, { kind: 'metrics' }>,
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  if ('backtest' in command) {
    const backtest = await healthBacktestReport(deps, command.horizon);
    return ephemeral(backtestText(backtest), backtestBlocks(backtest));
  }
  const metrics = await retentionMetrics(deps, {
    choice: command.period,
    owner: command.owner,
    currency: command.currency,
  });
  if ('ok' in metrics) return ephemeral('That month has not started yet: name this month or an earlier one.');
  // Not awaited: the figures answer now, the chart follows; a failure ends in the log.
  void shareChart(context.client, deps, metrics, context.userId);
  return ephemeral(metricsText(metrics), metricsBlocks(metrics, command.owner));
}

async function shareChart(
  client: WebClient,
  deps: Pick<Deps, 'logger'>,
  m: RetentionMetrics,
  userId: string,
) {
  try {
    // Loaded on first use: echarts takes over a second of CPU to import, which every start would pay.
    const { retentionChartPng } = await import('../charts/retention-chart.ts');
    const png = retentionChartPng(m.trend, m.current.currency);
    const opened = await client.conversations.open({ users: userId });
    await client.files.uploadV2({
      channel_id: opened.channel!.id!,
      file: png,
      filename: `retention-${m.period.to}.png`,
      title: `Retention, last 12 months (${m.current.currency})`,
      alt_text: 'MRR movements and NRR by month, and accounts by health band, over the last 12 months',
      initial_comment: `The last 12 months, for /cs metrics ${m.period.label}.`,
    });
  } catch (error) {
    deps.logger.error({ err: error }, 'sharing the retention chart failed');
  }
}

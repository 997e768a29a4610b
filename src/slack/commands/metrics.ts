import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import type { RetentionMetrics } from '../../domain/retention-metrics.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { healthBacktestReport } from '../../services/retention.ts';
import { retentionMetrics } from '../../services/retention-metrics.ts';
import { backtestBlocks, backtestText, metricsBlocks, metricsText, periodLabel } from '../blocks/metrics.ts';
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
  const { locale } = context;
  if ('backtest' in command) {
    const backtest = await healthBacktestReport(deps, command.horizon);
    return ephemeral(backtestText(backtest, locale), backtestBlocks(backtest, locale));
  }
  const metrics = await retentionMetrics(deps, {
    choice: command.period,
    owner: command.owner,
    currency: command.currency,
  });
  if ('ok' in metrics) return ephemeral(t(locale, 'met.notStarted'));
  // Not awaited: the figures answer now, the chart follows; a failure ends in the log.
  void shareChart(context.client, deps, metrics, context.userId, locale);
  return ephemeral(metricsText(metrics, locale), metricsBlocks(metrics, command.owner, locale));
}

async function shareChart(
  client: WebClient,
  deps: Pick<Deps, 'logger'>,
  m: RetentionMetrics,
  userId: string,
  locale: Locale,
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
      title: t(locale, 'met.chart.title', { currency: m.current.currency }),
      alt_text: t(locale, 'met.chart.alt'),
      initial_comment: t(locale, 'met.chart.comment', { period: periodLabel(locale, m.period) }),
    });
  } catch (error) {
    deps.logger.error({ err: error }, 'sharing the retention chart failed');
  }
}

import type { WebClient } from '@slack/web-api';
import type { Account } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { DEFAULT_REVIEW_MINUTES, meetingInstant, reviewKindFor } from '../../domain/reviews.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { loadReviewBriefs } from '../../services/reviews.ts';
import { accountThenRest } from '../../store/account-search.ts';
import { loadAccount, scheduledReview, scheduleReview } from '../../store/reviews.ts';
import { escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import {
  alreadyScheduledBlocks,
  briefBlocks,
  briefText,
  confirmationText,
  prefillOf,
  reviewConfirmationBlocks,
  scheduleModal,
} from '../blocks/review.ts';
import { accountGone, resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';
import { type CsCommand, tokenize } from './parser.ts';
import { shareCalendarFile } from './rts-calendar.ts';

/** The zone a review of this account is typed and shown in: the account's own, else PULSE_TIMEZONE. */
export const reviewZone = (account: Pick<Account, 'timezone'>, deps: Pick<Deps, 'config'>) =>
  account.timezone ?? deps.config.timezone;

/**
 * Opens the success-review modal for this account: scheduling a new review, or moving the one already
 * scheduled (its Reschedule mode, prefilled). The submission confirms in `channelId`, else in the
 * person's DM. Throws when Slack refuses the modal.
 */
export async function openReviewModal(
  deps: Pick<Deps, 'db' | 'config'>,
  client: WebClient,
  account: Account,
  where: { triggerId: string; channelId?: string },
  locale: Locale = 'en',
): Promise<{ existing: boolean }> {
  const existing = await scheduledReview(deps.db.orm, account.id);
  await client.views.open({
    trigger_id: where.triggerId,
    view: scheduleModal(
      { ...account, kind: reviewKindFor(account.tier) },
      reviewZone(account, deps),
      { accountId: account.id, reviewId: existing?.id, channelId: where.channelId },
      existing ? prefillOf(existing) : {},
      locale,
    ),
  });
  return { existing: existing !== undefined };
}

/**
 * `/cs rts <account> [YYYY-MM-DD HH:MM]` schedules the account's success review (no date: a modal asks);
 * `/cs rts <account> brief` shows the pre-review diagnosis.
 */
export async function rtsAnswer(
  command: Extract<CsCommand, { kind: 'rts' }>,
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  const { locale } = context;
  let resolved = await resolveAccount(deps.db.orm, command.account, locale);
  // `/cs rts acme next tuesday`: an account followed by a date Pulse cannot read, not an unknown account.
  let unreadDate: string | undefined;
  if ('answer' in resolved) {
    const split = await accountThenRest(deps.db.orm, tokenize(command.account));
    if (!split) return resolved.answer;
    resolved = { account: split.account };
    unreadDate = split.rest.join(' ');
  }
  const account = await loadAccount(deps.db.orm, resolved.account.id);
  if (!account) return ephemeral(accountGone(locale, resolved.account.key));

  if (unreadDate !== undefined) {
    const problem = t(locale, 'rts.unreadDate', { date: inlineCode(unreadDate) });
    try {
      await openReviewModal(
        deps,
        context.client,
        account,
        { triggerId: context.triggerId, channelId: context.channelId },
        locale,
      );
    } catch (error) {
      deps.logger.warn({ err: error, account: account.key }, 'opening the review modal failed');
      return ephemeral(t(locale, 'rts.writeItAs', { problem, key: account.key }));
    }
    return ephemeral(t(locale, 'rts.pickInForm', { problem, key: account.key }));
  }

  if (command.brief) {
    const brief = (await loadReviewBriefs(deps.db.orm, deps, [account.id], deps.clock())).get(account.id)!;
    return ephemeral(briefText(brief.facts, locale), briefBlocks(brief.facts, locale));
  }
  const zone = reviewZone(account, deps);
  const kind = reviewKindFor(account.tier);

  if (!command.date || !command.time) {
    let existing: boolean;
    try {
      ({ existing } = await openReviewModal(
        deps,
        context.client,
        account,
        { triggerId: context.triggerId, channelId: context.channelId },
        locale,
      ));
    } catch (error) {
      deps.logger.warn({ err: error, account: account.key }, 'opening the review modal failed');
      return ephemeral(t(locale, 'rts.formFailed', { key: account.key }));
    }
    return ephemeral(
      t(locale, existing ? 'rts.formMoves' : 'rts.formOpens', { name: escapeMrkdwn(account.name) }),
    );
  }

  const when = meetingInstant(command.date, command.time, zone, deps.clock());
  if (!when.ok) {
    return ephemeral(
      t(locale, 'rts.when', { reason: when.reason, date: command.date, time: command.time, zone }),
    );
  }
  const result = await scheduleReview(deps.db.orm, {
    accountId: account.id,
    kind,
    startsAt: when.startsAt,
    durationMinutes: DEFAULT_REVIEW_MINUTES,
    timezone: zone,
    attendees: [],
    agenda: null,
    scheduledBy: context.userId,
  });
  if ('existing' in result) {
    return ephemeral(
      t(locale, 'rts.alreadyNothingNew', { name: escapeMrkdwn(account.name) }),
      alreadyScheduledBlocks(result.existing, account, { date: command.date, time: command.time }, locale),
    );
  }
  // The answer goes back now; the file follows (three Web API calls) without holding it up.
  void shareCalendarFile(context.client, deps, result.created, account, context.userId, locale);
  return ephemeral(
    confirmationText(result.created, account, 'scheduled', locale),
    reviewConfirmationBlocks(result.created, account, 'scheduled', locale),
  );
}

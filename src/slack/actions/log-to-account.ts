import type { MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { findAccount } from '../../store/account-search.ts';
import { accountOfChannel, accountsToPick, addNote } from '../../store/notes.ts';
import type { Access } from '../access.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import { noteModal, noticeModal } from '../blocks/timeline.ts';
import { failureText } from '../commands/answer.ts';
import { NOTE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';

/** A static menu holds 100 options; a larger portfolio types the account's key or name instead. */
const MENU_MAX = 100;

const noteSource = z.object({ channel: z.string(), ts: z.string(), author: z.string() });

/** Who wrote the message: a person, else the bot or integration that posted it. */
const authorOf = (message: MessageShortcut['message']): string =>
  message.user ?? message.username ?? message.bot_profile?.name ?? message.bot_id ?? 'unknown';

/**
 * The "Log to account" message shortcut: any message Pulse can read (a shared channel with the customer
 * too) becomes a note on an account's timeline. Everything happens in a modal, so nothing is ever posted
 * into the channel; only the CS team may log.
 */
export function registerLogToAccount(app: Listeners, deps: Deps, access: Access): void {
  app.shortcut<MessageShortcut>(NOTE.shortcut, async ({ ack, shortcut, client }) => {
    await ack();
    const open = (view: Parameters<typeof client.views.open>[0]['view']) =>
      client.views.open({ trigger_id: shortcut.trigger_id, view });
    // The team's language until the access check has asked Slack who this is (users.info, kept).
    let locale = deps.config.locale;
    try {
      const verdict = await access.canWrite(client, shortcut.user.id);
      if (!verdict.allowed) return void (await open(noticeModal(verdict.text, locale)));
      locale = await access.localeOf(client, shortcut.user.id);
      const channelAccount = await accountOfChannel(deps.db.orm, shortcut.channel.id);
      const pick = await accountsToPick(deps.db.orm, {
        channelAccountId: channelAccount?.id ?? null,
        userId: shortcut.user.id,
        limit: MENU_MAX,
      });
      if (!pick.accounts.length) {
        return void (await open(noticeModal(t(locale, 'tl.modal.noAccounts'), locale)));
      }
      await open(
        noteModal({
          locale,
          source: {
            channel: shortcut.channel.id,
            ts: shortcut.message.ts,
            author: authorOf(shortcut.message),
          },
          text: shortcut.message.text ?? '',
          accounts: pick.accounts,
          typed: pick.more,
          preselected: channelAccount,
        }),
      );
    } catch (error) {
      deps.logger.error({ err: error, user: shortcut.user.id }, 'opening "Log to account" failed');
    }
  });

  app.view<ViewSubmitAction>(NOTE.modal, async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const fail = (block: string, message: string) =>
      ack({ response_action: 'errors', errors: { [block]: message } });
    // The team's language until the access check has asked Slack who this is (users.info, kept).
    let locale = deps.config.locale;
    try {
      const verdict = await access.canWrite(client, body.user.id);
      if (!verdict.allowed) return void (await fail(NOTE.accountBlock, verdict.plain));
      locale = await access.localeOf(client, body.user.id);
      const source = noteSource.parse(JSON.parse(view.private_metadata));
      const input = values[NOTE.accountBlock]?.[NOTE.accountInput];
      const typed = (input?.selected_option?.value ?? input?.value ?? '').trim();
      if (!typed) return void (await fail(NOTE.accountBlock, t(locale, 'tl.modal.pick')));
      const match = await findAccount(deps.db.orm, typed);
      if (!match.found) {
        const names = match.suggestions.map((a) => a.key).join(', ');
        return void (await fail(
          NOTE.accountBlock,
          match.ambiguous
            ? t(locale, 'tl.modal.ambiguous', { typed, names })
            : t(locale, names ? 'tl.modal.noMatchSuggest' : 'tl.modal.noMatch', { typed, names }),
        ));
      }
      const text = (values[NOTE.textBlock]?.[NOTE.textInput]?.value ?? '').trim();
      if (!text) return void (await fail(NOTE.textBlock, t(locale, 'tl.modal.noText')));
      // The link back to the message; a note is worth keeping even when Slack cannot give one.
      const permalink = await client.chat
        .getPermalink({ channel: source.channel, message_ts: source.ts })
        .then((r) => r.permalink ?? null)
        .catch((error) => {
          deps.logger.warn({ err: error, channel: source.channel }, 'no permalink for a logged message');
          return null;
        });
      const added = await addNote(deps.db.orm, {
        accountId: match.account.id,
        text,
        author: source.author,
        loggedBy: body.user.id,
        source: 'shortcut',
        channelId: source.channel,
        messageTs: source.ts,
        permalink,
        at: new Date(Math.round(Number(source.ts) * 1000)),
      });
      const name = escapeMrkdwn(match.account.name);
      await ack({
        response_action: 'update',
        view: noticeModal(
          t(locale, added ? 'tl.modal.logged' : 'tl.modal.already', { name, key: match.account.key }),
          locale,
        ),
      });
    } catch (error) {
      deps.logger.error({ err: error, user: body.user.id }, 'logging a message to an account failed');
      await fail(NOTE.accountBlock, failureText(locale)).catch(() => undefined);
    }
  });
}

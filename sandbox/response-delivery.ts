import type { DoubleState, OriginalMessage, ResponseUrlRecord } from './double-state.ts';
import type { Params } from './web-api-methods.ts';

/** Slack's rules for a response: delete or replace the original, else a new message (ephemeral by default). */
export function deliverResponse(
  state: DoubleState,
  record: ResponseUrlRecord,
  body: Params,
  via: 'response_url' | 'ack',
): void {
  const content = {
    text: typeof body.text === 'string' ? body.text : '',
    blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
    attachments: Array.isArray(body.attachments) ? body.attachments : undefined,
  };
  const original = record.original;
  if (original && (body.delete_original === true || body.delete_original === 'true')) {
    removeOriginal(state, original);
    return;
  }
  if (original && (body.replace_original === true || body.replace_original === 'true')) {
    if (replaceOriginal(state, original, content)) return;
  }
  const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
  if (body.response_type === 'in_channel') {
    const message = state.addBotMessage(record.channel, { ...content, thread_ts: threadTs }, via);
    record.original ??= { kind: 'message', channel: message.channel, ts: message.ts };
    return;
  }
  const ephemeral = state.addEphemeral({
    channel: record.channel,
    user: record.user,
    ...content,
    thread_ts: threadTs,
    via,
  });
  record.original ??= { kind: 'ephemeral', id: ephemeral.id };
}

function removeOriginal(state: DoubleState, original: OriginalMessage): void {
  if (original.kind === 'message') {
    const message = state.findMessage(original.channel, original.ts);
    if (message) state.deleteMessage(message);
  } else {
    const ephemeral = state.ephemeralList.find((e) => e.id === original.id);
    if (ephemeral) state.deleteEphemeral(ephemeral);
  }
}

function replaceOriginal(
  state: DoubleState,
  original: OriginalMessage,
  content: { text: string; blocks?: unknown[]; attachments?: unknown[] },
): boolean {
  if (original.kind === 'message') {
    const message = state.findMessage(original.channel, original.ts);
    if (!message) return false;
    state.updateMessage(message, { ...content, blocks: content.blocks ?? [] });
    return true;
  }
  const ephemeral = state.ephemeralList.find((e) => e.id === original.id);
  if (!ephemeral) return false;
  state.replaceEphemeral(ephemeral, content);
  return true;
}

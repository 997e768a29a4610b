/** The fields of a conversation (conversations.info) that say who outside the workspace reads it. */
export interface ConversationSharing {
  is_shared?: boolean;
  is_ext_shared?: boolean;
  is_pending_ext_shared?: boolean;
  is_org_shared?: boolean;
}

/**
 * Whether people of another organisation read the conversation, or soon may: shared through Slack
 * Connect, or invited to be (`is_pending_ext_shared`: the invitation may be accepted at any moment). On
 * Enterprise Grid a channel shared between the workspaces of one organisation is `is_shared` and
 * `is_org_shared`: its readers are all colleagues, so it is internal.
 */
export function sharedOutsideWorkspace(c: ConversationSharing): boolean {
  return (
    c.is_ext_shared === true ||
    c.is_pending_ext_shared === true ||
    (c.is_shared === true && c.is_org_shared !== true)
  );
}

/**
 * A DM of Pulse with one person (`D…`), or a person's ID (a post to it lands in that DM). Who that person
 * is decides whether they may read account data, not the conversation: it is never a shared channel.
 */
export const isDirectConversation = (id: string): boolean => /^[DUW][A-Z0-9]+$/.test(id);

/** How long a channel's sharing, as Slack last said it, is trusted before Slack is asked again. */
export const SHARING_TTL_MS = 60 * 60_000;

export const isSharingFresh = (checkedAt: Date, now: Date): boolean => +now - +checkedAt < SHARING_TTL_MS;

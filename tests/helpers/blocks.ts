/** Block Kit as one JSON string, to look for a text anywhere in it. */
export const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

/** The blocks of a message, ephemeral or view as one JSON string. */
export const blocksOf = (m: { blocks?: unknown } | undefined) => blocksText(m?.blocks);

import { EMOJI } from './emoji.js';

/**
 * Slack's mrkdwn to DOM nodes (never through innerHTML): *bold*, _italic_, ~strike~, `code`, ```blocks```,
 * > quotes, <url|links>, <@U…> mentions, <#C…> channels, <!here>, :emoji:. Slack escapes &, < and > in
 * text as entities; they are decoded only inside text nodes.
 */

const decode = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const el = (tag, className, children = []) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(child);
  return node;
};

const INLINE = /(`[^`\n]+`)|(<[^<>\n]+>)|(:[a-z0-9_+'-]+:)|(\*[^*\n]+\*)|(_[^_\n]+_)|(~[^~\n]+~)/.source;
const WORDY = /[\p{L}\p{N}]/u;

/** Formatting marks count only at word edges, as in Slack (`snake_case_names` stay plain). */
function atWordEdges(text, start, end) {
  const before = text[start - 1];
  const after = text[end];
  return (before === undefined || !WORDY.test(before)) && (after === undefined || !WORDY.test(after));
}

function special(token, ctx) {
  const inner = token.slice(1, -1);
  const [target, label] = inner.split('|', 2);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return el('span', 'mention', [`@${label ?? ctx.userName(id)}`]);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const link = el('a', 'channel-link', [`#${label ?? ctx.channelName(id)}`]);
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      ctx.openChannel?.(id);
    });
    return link;
  }
  if (target.startsWith('!subteam^')) return el('span', 'mention', [label ?? '@group']);
  if (target.startsWith('!date^')) return document.createTextNode(decode(label ?? ''));
  if (target.startsWith('!')) return el('span', 'mention broadcast', [`@${target.slice(1)}`]);
  const link = el('a', 'link', [decode(label ?? target.replace(/^mailto:/, ''))]);
  link.href = decode(target);
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

function inline(text, ctx) {
  const out = [];
  let last = 0;
  // A regex of its own per call: formatting is parsed recursively, and lastIndex is the cursor.
  const pattern = new RegExp(INLINE, 'g');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [token, code, angle, emoji, bold, italic, strike] = match;
    const start = match.index;
    const end = start + token.length;
    let node;
    if (code) node = el('code', 'inline-code', [decode(code.slice(1, -1))]);
    else if (angle) node = special(angle, ctx);
    else if (emoji) {
      const name = emoji.slice(1, -1);
      node = EMOJI[name] ? el('span', 'emoji', [EMOJI[name]]) : undefined;
      if (node) node.title = emoji;
    } else if (atWordEdges(text, start, end)) {
      const content = token.slice(1, -1);
      if (bold) node = el('b', '', inline(content, ctx));
      if (italic) node = el('i', '', inline(content, ctx));
      if (strike) node = el('s', '', inline(content, ctx));
    } else {
      // Not formatting here: keep the first character and look again right after it.
      pattern.lastIndex = start + 1;
      continue;
    }
    if (!node) continue;
    if (start > last) out.push(decode(text.slice(last, start)));
    out.push(node);
    last = end;
  }
  if (last < text.length) out.push(decode(text.slice(last)));
  return out;
}

function withBreaks(lines, ctx) {
  const out = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push(document.createElement('br'));
    out.push(...inline(line, ctx));
  });
  return out;
}

/** Renders mrkdwn into a fragment. `ctx` names people and channels: `{ userName(id), channelName(id), openChannel(id) }`. */
export function renderMrkdwn(text, ctx) {
  const fragment = document.createDocumentFragment();
  const parts = String(text ?? '').split('```');
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      fragment.append(el('pre', 'code-block', [decode(part.replace(/^\n/, ''))]));
      return;
    }
    const lines = part.split('\n');
    let quote = [];
    let plain = [];
    const flushPlain = () => {
      if (plain.length) fragment.append(...withBreaks(plain, ctx));
      plain = [];
    };
    const flushQuote = () => {
      if (quote.length) fragment.append(el('blockquote', 'quote', withBreaks(quote, ctx)));
      quote = [];
    };
    for (const line of lines) {
      const quoted = line.match(/^(?:&gt;|>)\s?(.*)$/);
      if (quoted) {
        flushPlain();
        quote.push(quoted[1]);
      } else {
        flushQuote();
        plain.push(line);
      }
    }
    flushPlain();
    flushQuote();
  });
  return fragment;
}

/** A text object: mrkdwn rendered, plain_text as text (emoji shortcodes still shown, as Slack does by default). */
export function renderText(textObject, ctx) {
  if (!textObject) return document.createDocumentFragment();
  if (typeof textObject === 'string') return renderMrkdwn(textObject, ctx);
  if (textObject.type === 'mrkdwn') return renderMrkdwn(textObject.text, ctx);
  const fragment = document.createDocumentFragment();
  const withEmoji = textObject.emoji === false ? textObject.text : plainEmoji(textObject.text);
  fragment.append(withEmoji);
  return fragment;
}

export function plainEmoji(text) {
  return String(text ?? '').replace(/:([a-z0-9_+'-]+):/g, (all, name) => EMOJI[name] ?? all);
}

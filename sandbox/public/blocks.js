import { plainEmoji, renderMrkdwn, renderText } from './mrkdwn.js';

/**
 * Block Kit to DOM, close to how Slack draws it. `ctx`:
 *   userName(id), channelName(id), openChannel(id), users, channels — to name and list things;
 *   act(element, blockId, value, control) — a person used an interactive element (returns a promise);
 *   confirm(confirmObject) — resolves true when the person confirms.
 * Input blocks (modals) render their element with `data-block-id` / `data-action-id` so the modal can read them.
 */

export const el = (tag, className, children = []) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
};

const plain = (text) => plainEmoji(text?.text ?? text ?? '');

function optionLabel(option) {
  return plain(option.text);
}

/** Interactive elements fire `ctx.act`; a confirm dialog, when the element has one, comes first. */
async function fire(ctx, element, blockId, value, control) {
  if (element.confirm && !(await ctx.confirm(element.confirm))) return;
  control?.classList.add('busy');
  if (control) control.disabled = true;
  try {
    await ctx.act(element, blockId, value, control);
  } finally {
    control?.classList.remove('busy');
    if (control) control.disabled = false;
  }
}

function button(element, blockId, ctx) {
  const node = el('button', `bk-button ${element.style ?? ''}`.trim(), [plain(element.text)]);
  node.type = 'button';
  node.dataset.actionId = element.action_id ?? '';
  if (element.accessibility_label) node.setAttribute('aria-label', element.accessibility_label);
  node.addEventListener('click', () => {
    if (element.url) window.open(element.url, '_blank', 'noopener');
    fire(ctx, element, blockId, undefined, node);
  });
  return node;
}

/** What a select offers: its options (groups flattened), or the workspace's people or channels. */
function selectOptions(element, ctx) {
  if (element.type.includes('users_select')) {
    return ctx.users.map((user) => ({
      value: user.id,
      label: user.realName ?? user.name,
      detail: user.title ?? '',
    }));
  }
  if (element.type.includes('conversations_select') || element.type.includes('channels_select')) {
    return ctx.channels
      .filter((c) => !c.isIm)
      .map((channel) => ({ value: channel.id, label: `#${channel.name}`, detail: '' }));
  }
  const groups = element.option_groups ?? [{ options: element.options ?? [] }];
  return groups.flatMap((group) =>
    (group.options ?? []).map((option) => ({
      value: option.value,
      label: optionLabel(option),
      detail: group.label ? plain(group.label) : '',
    })),
  );
}

function select(element, blockId, ctx, { inModal }) {
  if (element.type.startsWith('multi_')) return multiSelect(element, blockId, ctx, { inModal });
  const node = el('select', 'bk-select');
  node.dataset.actionId = element.action_id ?? '';
  const placeholder = el('option', '', [plain(element.placeholder) || 'Select an item']);
  placeholder.value = '';
  placeholder.disabled = !inModal;
  placeholder.selected = true;
  node.append(placeholder);
  const add = (parent, option) => {
    const item = el('option', '', [optionLabel(option)]);
    item.value = option.value;
    parent.append(item);
  };
  if (element.type === 'static_select' && element.option_groups) {
    for (const group of element.option_groups) {
      const optgroup = el('optgroup');
      optgroup.label = plain(group.label);
      for (const option of group.options) add(optgroup, option);
      node.append(optgroup);
    }
  } else {
    for (const option of selectOptions(element, ctx)) add(node, { text: option.label, value: option.value });
  }
  const initial =
    element.initial_option?.value ??
    element.initial_user ??
    element.initial_conversation ??
    element.initial_channel;
  if (initial !== undefined) node.value = initial;
  if (!inModal) node.addEventListener('change', () => fire(ctx, element, blockId, node.value, node));
  return node;
}

/**
 * A multi-select as Slack draws it: the chosen items as tokens in a field that filters a menu as the
 * person types. `node.selectedValues()` reads it and `node.choose(values)` sets it (the modal uses both).
 */
function multiSelect(element, blockId, ctx, { inModal }) {
  const options = selectOptions(element, ctx);
  const byValue = new Map(options.map((o) => [o.value, o]));
  const chosen = [];
  const tokens = el('span', 'bk-multi-tokens');
  const search = el('input', 'bk-multi-search');
  search.type = 'text';
  search.placeholder = plain(element.placeholder) || 'Select options';
  search.setAttribute('aria-label', search.placeholder);
  const menu = el('div', 'bk-multi-menu');
  menu.setAttribute('role', 'listbox');
  menu.hidden = true;
  const node = el('div', 'bk-multi', [el('div', 'bk-multi-field', [tokens, search]), menu]);
  node.dataset.actionId = element.action_id ?? '';
  const limit = element.max_selected_items ?? Number.POSITIVE_INFINITY;

  const changed = () => {
    if (!inModal) fire(ctx, element, blockId, [...chosen], null);
  };
  const drawTokens = () => {
    tokens.replaceChildren(
      ...chosen.map((value) => {
        const label = byValue.get(value)?.label ?? value;
        const remove = el('button', 'bk-token-remove', ['×']);
        remove.type = 'button';
        remove.setAttribute('aria-label', `Remove ${label}`);
        remove.addEventListener('click', () => {
          chosen.splice(chosen.indexOf(value), 1);
          drawTokens();
          drawMenu();
          changed();
        });
        const token = el('span', 'bk-token', [label, remove]);
        token.dataset.value = value;
        return token;
      }),
    );
    search.placeholder = chosen.length ? '' : plain(element.placeholder) || 'Select options';
  };
  const matches = () => {
    const wanted = search.value.trim().toLowerCase();
    return options.filter(
      (o) => !chosen.includes(o.value) && `${o.label} ${o.detail}`.toLowerCase().includes(wanted),
    );
  };
  const pick = (value) => {
    if (chosen.includes(value) || chosen.length >= limit) return;
    chosen.push(value);
    search.value = '';
    drawTokens();
    drawMenu();
    changed();
  };
  const drawMenu = () => {
    const found = matches();
    menu.replaceChildren(
      ...(found.length
        ? found.map((option) => {
            const item = el('button', 'bk-multi-option', [
              el('span', 'bk-multi-label', [option.label]),
              option.detail ? el('span', 'bk-multi-detail', [option.detail]) : null,
            ]);
            item.type = 'button';
            item.setAttribute('role', 'option');
            item.dataset.value = option.value;
            // Keeps the focus in the field, so the menu stays open for the next pick.
            item.addEventListener('mousedown', (event) => event.preventDefault());
            item.addEventListener('click', () => pick(option.value));
            return item;
          })
        : [el('div', 'bk-multi-empty', ['No matches'])]),
    );
  };
  search.addEventListener('focus', () => {
    drawMenu();
    menu.hidden = false;
  });
  search.addEventListener('input', () => {
    drawMenu();
    menu.hidden = false;
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const first = matches()[0];
      if (first) pick(first.value);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      menu.hidden = true;
    } else if (event.key === 'Backspace' && search.value === '' && chosen.length) {
      chosen.pop();
      drawTokens();
      drawMenu();
      changed();
    }
  });
  search.addEventListener('blur', () => {
    menu.hidden = true;
  });
  node.addEventListener('click', (event) => {
    if (event.target === node.firstChild || event.target === tokens) search.focus();
  });

  node.selectedValues = () => [...chosen];
  node.choose = (values) => {
    chosen.splice(0, chosen.length, ...values.filter((v) => byValue.has(v)).slice(0, limit));
    drawTokens();
  };
  node.choose([
    ...(element.initial_options ?? []).map((o) => o.value),
    ...(element.initial_users ?? []),
    ...(element.initial_conversations ?? []),
    ...(element.initial_channels ?? []),
  ]);
  return node;
}

function overflow(element, blockId, ctx) {
  const wrap = el('div', 'bk-overflow');
  const trigger = el('button', 'bk-button overflow-trigger', ['⋮']);
  trigger.type = 'button';
  trigger.setAttribute('aria-label', 'More actions');
  trigger.dataset.actionId = element.action_id ?? '';
  const menu = el('div', 'overflow-menu');
  menu.hidden = true;
  for (const option of element.options ?? []) {
    const item = el('button', 'overflow-item', [optionLabel(option)]);
    item.type = 'button';
    item.addEventListener('click', () => {
      menu.hidden = true;
      fire(ctx, element, blockId, option.value, trigger);
    });
    menu.append(item);
  }
  trigger.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  // Like Slack's menu: a click elsewhere or Escape closes it.
  wrap.addEventListener('focusout', (event) => {
    if (!wrap.contains(event.relatedTarget)) menu.hidden = true;
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') menu.hidden = true;
  });
  wrap.append(trigger, menu);
  return wrap;
}

function picker(element, blockId, ctx, { inModal }) {
  const node = el('input', 'bk-input');
  node.type = element.type === 'datepicker' ? 'date' : 'time';
  node.dataset.actionId = element.action_id ?? '';
  node.value = element.initial_date ?? element.initial_time ?? '';
  if (!inModal) node.addEventListener('change', () => fire(ctx, element, blockId, node.value, node));
  return node;
}

function choices(element, blockId, ctx, { inModal }) {
  const kind = element.type === 'checkboxes' ? 'checkbox' : 'radio';
  const group = el('div', `bk-choices ${kind}`);
  group.dataset.actionId = element.action_id ?? '';
  group.setAttribute('role', kind === 'radio' ? 'radiogroup' : 'group');
  const name = `${blockId}-${element.action_id}-${Math.random().toString(36).slice(2)}`;
  const initial = [element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)];
  for (const option of element.options ?? []) {
    const input = el('input');
    input.type = kind;
    input.name = name;
    input.value = option.value;
    input.checked = initial.includes(option.value);
    if (!inModal) {
      input.addEventListener('change', () => {
        const values = [...group.querySelectorAll('input:checked')].map((i) => i.value);
        fire(ctx, element, blockId, kind === 'radio' ? input.value : values, null);
      });
    }
    const label = el('label', 'bk-choice', [input, el('span', '', [renderText(option.text, ctx)])]);
    if (option.description)
      label.append(el('div', 'bk-choice-description', [renderText(option.description, ctx)]));
    group.append(label);
  }
  return group;
}

function textInput(element) {
  const multiline = element.multiline === true;
  const node = el(multiline ? 'textarea' : 'input', 'bk-input');
  if (!multiline) {
    node.type =
      { email_text_input: 'email', url_text_input: 'url', number_input: 'number' }[element.type] ?? 'text';
  }
  if (element.type === 'number_input' && element.is_decimal_allowed) node.step = 'any';
  node.dataset.actionId = element.action_id ?? '';
  node.placeholder = plain(element.placeholder);
  node.value = element.initial_value ?? '';
  if (element.max_length) node.maxLength = element.max_length;
  return node;
}

function image(element) {
  const node = el('img', 'bk-image-element');
  node.alt = element.alt_text ?? '';
  node.src = element.image_url ?? '';
  node.addEventListener('error', () => node.replaceWith(el('span', 'bk-image-missing', [`🖼 ${node.alt}`])));
  return node;
}

/** Any interactive or image element. */
export function renderElement(element, blockId, ctx, options = { inModal: false }) {
  switch (element.type) {
    case 'button':
      return button(element, blockId, ctx);
    case 'static_select':
    case 'multi_static_select':
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select':
    case 'external_select':
      return select(element, blockId, ctx, options);
    case 'overflow':
      return overflow(element, blockId, ctx);
    case 'datepicker':
    case 'timepicker':
      return picker(element, blockId, ctx, options);
    case 'radio_buttons':
    case 'checkboxes':
      return choices(element, blockId, ctx, options);
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return textInput(element);
    case 'image':
      return image(element);
    default:
      return el('span', 'bk-unsupported', [`[${element.type}]`]);
  }
}

function richText(block, ctx) {
  const styled = (item) => {
    let node;
    switch (item.type) {
      case 'text':
        node = document.createTextNode(item.text);
        break;
      case 'link':
        node = el('a', 'link', [item.text ?? item.url]);
        node.href = item.url;
        node.target = '_blank';
        break;
      case 'user':
        node = el('span', 'mention', [`@${ctx.userName(item.user_id)}`]);
        break;
      case 'channel':
        node = el('span', 'channel-link', [`#${ctx.channelName(item.channel_id)}`]);
        break;
      case 'emoji':
        node = el('span', 'emoji', [
          item.unicode
            ? String.fromCodePoint(...item.unicode.split('-').map((h) => Number.parseInt(h, 16)))
            : plainEmoji(`:${item.name}:`),
        ]);
        break;
      case 'broadcast':
        node = el('span', 'mention broadcast', [`@${item.range}`]);
        break;
      default:
        node = document.createTextNode(item.text ?? '');
    }
    const style = item.style ?? {};
    if (style.code) node = el('code', 'inline-code', [node]);
    if (style.bold) node = el('b', '', [node]);
    if (style.italic) node = el('i', '', [node]);
    if (style.strike) node = el('s', '', [node]);
    return node;
  };
  const section = (part) => {
    const children = (part.elements ?? []).map(styled);
    switch (part.type) {
      case 'rich_text_list': {
        const list = el(part.style === 'ordered' ? 'ol' : 'ul', 'rich-list', []);
        for (const item of part.elements ?? []) list.append(el('li', '', [section(item)]));
        return list;
      }
      case 'rich_text_quote':
        return el('blockquote', 'quote', children);
      case 'rich_text_preformatted':
        return el('pre', 'code-block', children);
      default:
        return el('div', 'rich-section', children);
    }
  };
  return el('div', 'bk-rich-text', (block.elements ?? []).map(section));
}

/** One block. Unknown types are shown as such rather than dropped, so a bad payload is visible. */
export function renderBlock(block, ctx, options = { inModal: false }) {
  const blockId = block.block_id ?? '';
  let node;
  switch (block.type) {
    case 'header':
      node = el('div', 'bk-header', [plain(block.text)]);
      break;
    case 'section': {
      const main = el('div', 'bk-section-main');
      if (block.text) main.append(el('div', 'bk-text', [renderText(block.text, ctx)]));
      if (block.fields?.length) {
        main.append(
          el(
            'div',
            'bk-fields',
            block.fields.map((f) => el('div', 'bk-field', [renderText(f, ctx)])),
          ),
        );
      }
      node = el('div', 'bk-section', [main]);
      if (block.accessory) {
        const accessory = renderElement(block.accessory, blockId, ctx, options);
        node.append(
          el('div', `bk-accessory ${block.accessory.type === 'image' ? 'image' : ''}`.trim(), [accessory]),
        );
      }
      break;
    }
    case 'context':
      node = el(
        'div',
        'bk-context',
        (block.elements ?? []).map((e) =>
          e.type === 'image' ? image(e) : el('span', 'bk-context-text', [renderText(e, ctx)]),
        ),
      );
      break;
    case 'divider':
      node = el('hr', 'bk-divider');
      break;
    case 'actions':
      node = el(
        'div',
        'bk-actions',
        (block.elements ?? []).map((e) => renderElement(e, blockId, ctx, options)),
      );
      break;
    case 'image': {
      const picture = image(block);
      picture.className = 'bk-image';
      node = el('figure', 'bk-image-block', [
        block.title ? el('figcaption', '', [plain(block.title)]) : null,
        picture,
      ]);
      break;
    }
    case 'rich_text':
      node = richText(block, ctx);
      break;
    case 'markdown':
      node = el('div', 'bk-text', [
        renderMrkdwn(String(block.text ?? '').replace(/\*\*(.+?)\*\*/g, '*$1*'), ctx),
      ]);
      break;
    case 'input':
      node = inputBlock(block, ctx);
      break;
    default:
      node = el('div', 'bk-unsupported', [`Unsupported block type: ${block.type}`]);
  }
  node.classList.add('block');
  node.dataset.blockId = blockId;
  node.dataset.blockType = block.type;
  return node;
}

function inputBlock(block, ctx) {
  const element = block.element ?? {};
  const label = el('label', 'bk-label', [plain(block.label)]);
  if (block.optional) label.append(el('span', 'bk-optional', [' (optional)']));
  const control = renderElement(element, block.block_id, ctx, { inModal: true });
  control.classList.add('bk-control');
  control.dataset.blockId = block.block_id ?? '';
  const wrap = el('div', 'bk-input-block', [label, control]);
  wrap.dataset.optional = block.optional ? 'true' : 'false';
  wrap.append(el('div', 'bk-error'));
  if (block.hint) wrap.append(el('div', 'bk-hint', [plain(block.hint)]));
  return wrap;
}

export function renderBlocks(blocks, ctx, options) {
  return el(
    'div',
    'blocks',
    (blocks ?? []).map((b) => renderBlock(b, ctx, options)),
  );
}

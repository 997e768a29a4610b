/**
 * Block Kit's documented limits, checked the way Slack checks them: every problem is reported as
 * `[ERROR] <what> [json-pointer:<where>]`, as in Slack's `response_metadata.messages`.
 */
export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const BLOCK_TYPES: Record<Surface, string[]> = {
  message: [
    'section',
    'header',
    'context',
    'divider',
    'actions',
    'image',
    'rich_text',
    'video',
    'file',
    'markdown',
  ],
  modal: ['section', 'header', 'context', 'divider', 'actions', 'image', 'rich_text', 'video', 'input'],
  home: ['section', 'header', 'context', 'divider', 'actions', 'image', 'rich_text', 'video', 'input'],
};
const ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'image',
  'overflow',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'multi_external_select',
  'rich_text_input',
  'file_input',
]);
const INPUT_ELEMENTS = new Set(
  [...ELEMENT_TYPES].filter((t) => t !== 'button' && t !== 'image' && t !== 'overflow'),
);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string) {
    this.list.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }
  maxLength(value: unknown, max: number, pointer: string) {
    if (typeof value === 'string' && value.length > max)
      this.add(`must be less than ${max + 1} characters`, pointer);
  }
}

function checkText(p: Problems, text: unknown, pointer: string, max: number, plainOnly = false): void {
  if (!isObject(text)) {
    p.add('must provide an object', pointer);
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(text.type as string)) {
    p.add(`must be one of: ${allowed.join(', ')}`, `${pointer}/type`);
  }
  if (typeof text.text !== 'string' || text.text.length === 0) {
    p.add('must be more than 0 characters', `${pointer}/text`);
  }
  p.maxLength(text.text, max, `${pointer}/text`);
}

function checkOptions(p: Problems, options: unknown, pointer: string, max: number): void {
  if (!Array.isArray(options) || options.length === 0) {
    p.add('must provide at least 1 option', pointer);
    return;
  }
  if (options.length > max) p.add(`no more than ${max} items allowed`, pointer);
  for (const [i, option] of options.entries()) {
    const at = `${pointer}/${i}`;
    if (!isObject(option)) {
      p.add('must provide an object', at);
      continue;
    }
    checkText(p, option.text, `${at}/text`, 75);
    if (typeof option.value !== 'string') p.add('must provide a string', `${at}/value`);
    p.maxLength(option.value, 150, `${at}/value`);
  }
}

function checkElement(p: Problems, element: unknown, pointer: string, actionIds: Set<string>): void {
  if (!isObject(element)) {
    p.add('must provide an object', pointer);
    return;
  }
  const type = element.type as string;
  if (!ELEMENT_TYPES.has(type)) {
    p.add(`unsupported type "${String(type)}"`, `${pointer}/type`);
    return;
  }
  if (type === 'image') {
    if (typeof element.image_url !== 'string' && !isObject(element.slack_file)) {
      p.add('must provide image_url or slack_file', pointer);
    }
    p.maxLength(element.alt_text, 2000, `${pointer}/alt_text`);
    return;
  }
  if (element.action_id !== undefined) {
    p.maxLength(element.action_id, 255, `${pointer}/action_id`);
    const id = String(element.action_id);
    if (actionIds.has(id)) p.add(`action_id "${id}" is already used in this block`, `${pointer}/action_id`);
    actionIds.add(id);
  }
  if (type === 'button') {
    checkText(p, element.text, `${pointer}/text`, 75, true);
    p.maxLength(element.value, 2000, `${pointer}/value`);
    p.maxLength(element.url, 3000, `${pointer}/url`);
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      p.add('must be one of: primary, danger', `${pointer}/style`);
    }
  }
  if (type === 'overflow') checkOptions(p, element.options, `${pointer}/options`, 5);
  if (type === 'static_select' || type === 'multi_static_select') {
    if (element.option_groups === undefined) checkOptions(p, element.options, `${pointer}/options`, 100);
  }
  if (type === 'radio_buttons' || type === 'checkboxes')
    checkOptions(p, element.options, `${pointer}/options`, 10);
  if (element.placeholder !== undefined)
    checkText(p, element.placeholder, `${pointer}/placeholder`, 150, true);
}

function checkBlock(
  p: Problems,
  block: unknown,
  pointer: string,
  surface: Surface,
  blockIds: Set<string>,
): void {
  if (!isObject(block)) {
    p.add('must provide an object', pointer);
    return;
  }
  const type = block.type as string;
  if (!BLOCK_TYPES[surface].includes(type)) {
    p.add(`unsupported type "${String(type)}" on a ${surface}`, `${pointer}/type`);
    return;
  }
  if (block.block_id !== undefined) {
    p.maxLength(block.block_id, 255, `${pointer}/block_id`);
    const id = String(block.block_id);
    if (blockIds.has(id)) p.add(`block_id "${id}" is already used`, `${pointer}/block_id`);
    blockIds.add(id);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'header':
      checkText(p, block.text, `${pointer}/text`, 150, true);
      break;
    case 'section':
      if (block.text === undefined && block.fields === undefined)
        p.add('must provide text or fields', pointer);
      if (block.text !== undefined) checkText(p, block.text, `${pointer}/text`, 3000);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) p.add('must provide an array', `${pointer}/fields`);
        else {
          if (block.fields.length > 10) p.add('no more than 10 items allowed', `${pointer}/fields`);
          for (const [i, f] of block.fields.entries()) checkText(p, f, `${pointer}/fields/${i}`, 2000);
        }
      }
      if (block.accessory !== undefined) checkElement(p, block.accessory, `${pointer}/accessory`, actionIds);
      break;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        p.add('must provide at least 1 element', `${pointer}/elements`);
      } else {
        if (block.elements.length > 10) p.add('no more than 10 items allowed', `${pointer}/elements`);
        for (const [i, e] of block.elements.entries()) {
          const at = `${pointer}/elements/${i}`;
          if (isObject(e) && e.type === 'image') checkElement(p, e, at, actionIds);
          else checkText(p, e, at, 3000);
        }
      }
      break;
    case 'actions':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        p.add('must provide at least 1 element', `${pointer}/elements`);
      } else {
        if (block.elements.length > 25) p.add('no more than 25 items allowed', `${pointer}/elements`);
        for (const [i, e] of block.elements.entries())
          checkElement(p, e, `${pointer}/elements/${i}`, actionIds);
      }
      break;
    case 'image':
      if (typeof block.image_url !== 'string' && !isObject(block.slack_file)) {
        p.add('must provide image_url or slack_file', pointer);
      }
      if (typeof block.alt_text !== 'string') p.add('must provide a string', `${pointer}/alt_text`);
      p.maxLength(block.alt_text, 2000, `${pointer}/alt_text`);
      if (block.title !== undefined) checkText(p, block.title, `${pointer}/title`, 2000, true);
      break;
    case 'input':
      checkText(p, block.label, `${pointer}/label`, 2000, true);
      if (block.hint !== undefined) checkText(p, block.hint, `${pointer}/hint`, 2000, true);
      if (!isObject(block.element) || !INPUT_ELEMENTS.has(block.element.type as string)) {
        p.add('must provide an input element', `${pointer}/element`);
      } else checkElement(p, block.element, `${pointer}/element`, actionIds);
      break;
    case 'markdown':
      if (typeof block.text !== 'string') p.add('must provide a string', `${pointer}/text`);
      p.maxLength(block.text, 12000, `${pointer}/text`);
      break;
  }
}

/** Every problem with `blocks` on this surface; empty when Slack would accept them. */
export function blockKitProblems(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add('must provide an array', pointer);
    return p.list;
  }
  if (blocks.length > MAX_BLOCKS[surface])
    p.add(`no more than ${MAX_BLOCKS[surface]} items allowed`, pointer);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) checkBlock(p, block, `${pointer}/${i}`, surface, blockIds);
  return p.list;
}

/** Problems with a modal or Home tab view: its own fields, then its blocks. */
export function viewProblems(view: unknown): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('must provide an object', '/view');
    return p.list;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    p.add('must be one of: modal, home', '/view/type');
    return p.list;
  }
  if (type === 'modal') {
    checkText(p, view.title, '/view/title', 24, true);
    if (view.submit !== undefined) checkText(p, view.submit, '/view/submit', 24, true);
    if (view.close !== undefined) checkText(p, view.close, '/view/close', 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      p.add('must provide submit when the view has input blocks', '/view');
  }
  p.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  p.maxLength(view.callback_id, 255, '/view/callback_id');
  p.maxLength(view.external_id, 255, '/view/external_id');
  return [...p.list, ...blockKitProblems(view.blocks, type, '/view/blocks')];
}

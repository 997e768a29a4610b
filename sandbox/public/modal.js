import { el, renderBlocks } from './blocks.js';
import { plainEmoji } from './mrkdwn.js';

const REQUIRED = 'Please complete this required field.';

/** What a person entered in one input block's control, as the sandbox server takes it. */
function controlValue(control) {
  if (control.classList.contains('bk-multi')) return control.selectedValues();
  if (control.matches('input, textarea, select')) return control.value === '' ? null : control.value;
  const checked = [...control.querySelectorAll('input:checked')].map((i) => i.value);
  if (control.classList.contains('radio')) return checked[0] ?? null;
  return checked;
}

const isEmpty = (value) => value === null || (Array.isArray(value) && value.length === 0);

/** Every input block's value by block_id, and the required ones left empty. */
export function readValues(root) {
  const values = {};
  const missing = [];
  for (const wrap of root.querySelectorAll('.bk-input-block')) {
    const control = wrap.querySelector('.bk-control');
    const value = controlValue(control);
    values[control.dataset.blockId] = value;
    if (isEmpty(value) && wrap.dataset.optional !== 'true') missing.push(control.dataset.blockId);
  }
  return { values, missing };
}

/** Shows errors under their fields (`response_action: errors`, or required fields left empty). */
export function showErrors(root, errors) {
  for (const wrap of root.querySelectorAll('.bk-input-block')) {
    const blockId = wrap.querySelector('.bk-control').dataset.blockId;
    const message = errors[blockId];
    wrap.classList.toggle('has-error', Boolean(message));
    wrap.querySelector('.bk-error').textContent = message ?? '';
  }
}

/** Copies what was typed into a re-rendered modal (views.update keeps input state, as Slack does). */
export function carryValues(from, to) {
  const { values } = readValues(from);
  for (const control of to.querySelectorAll('.bk-control')) {
    const value = values[control.dataset.blockId];
    if (value === undefined || value === null) continue;
    if (control.classList.contains('bk-multi')) control.choose(value);
    else if (control.matches('input, textarea, select')) control.value = value;
    else {
      for (const input of control.querySelectorAll('input'))
        input.checked = [value].flat().includes(input.value);
    }
  }
}

/**
 * A modal over the page: header with the app icon, title and ×; the blocks; Close and Submit.
 * `handlers.submit(values)` resolves to `{ errors? , failed? }`; `handlers.close()` cancels.
 */
export function renderModal(view, ctx, handlers) {
  const title = el('h2', 'modal-title', [plainEmoji(view.title?.text ?? '')]);
  title.id = `modal-title-${view.id}`;
  const closeX = el('button', 'modal-x', ['×']);
  closeX.type = 'button';
  closeX.setAttribute('aria-label', 'Close');
  const header = el('header', 'modal-header', [el('div', 'modal-app-icon', [ctx.appIcon()]), title, closeX]);
  const body = el('div', 'modal-body', [renderBlocks(view.blocks, ctx, { inModal: true })]);
  const banner = el('div', 'modal-banner');
  banner.hidden = true;
  const footer = el('footer', 'modal-footer');
  const cancel = el('button', 'bk-button', [
    plainEmoji(view.close?.text ?? (view.submit ? 'Cancel' : 'Close')),
  ]);
  cancel.type = 'button';
  footer.append(cancel);
  let submit;
  if (view.submit) {
    submit = el('button', 'bk-button primary modal-submit', [plainEmoji(view.submit.text)]);
    submit.type = 'submit';
    footer.append(submit);
  }
  const dialog = el('form', 'modal', [header, banner, body, footer]);
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', title.id);
  dialog.dataset.viewId = view.id;
  dialog.dataset.callbackId = view.callback_id ?? '';
  dialog.noValidate = true;
  const backdrop = el('div', 'modal-backdrop', [dialog]);

  // A field's error goes once the person changes what it says, as in Slack.
  const clearError = (event) => {
    const wrap = event.target.closest?.('.bk-input-block');
    if (!wrap?.classList.contains('has-error')) return;
    wrap.classList.remove('has-error');
    wrap.querySelector('.bk-error').textContent = '';
  };
  dialog.addEventListener('input', clearError);
  dialog.addEventListener('change', clearError);
  closeX.addEventListener('click', () => handlers.close());
  cancel.addEventListener('click', () => handlers.close());
  dialog.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { values, missing } = readValues(dialog);
    if (missing.length) {
      showErrors(dialog, Object.fromEntries(missing.map((id) => [id, REQUIRED])));
      return;
    }
    showErrors(dialog, {});
    banner.hidden = true;
    submit?.classList.add('busy');
    if (submit) submit.disabled = true;
    try {
      const outcome = await handlers.submit(values);
      if (outcome.errors) showErrors(dialog, outcome.errors);
      if (outcome.failed) {
        banner.textContent = `We had some trouble connecting. Try again? (${outcome.failed})`;
        banner.hidden = false;
      }
    } finally {
      submit?.classList.remove('busy');
      if (submit) submit.disabled = false;
    }
  });
  if (view.errors) showErrors(dialog, view.errors);
  return backdrop;
}

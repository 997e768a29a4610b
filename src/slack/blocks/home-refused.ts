import type { View } from '@slack/types';
import { type Locale, t } from '../../i18n/index.ts';

const PRODUCT = 'Pulse';

/** The App Home of someone who may not read account data: why, and nothing about any account. */
export function refusedHomeView(refusal: string, locale: Locale): View {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: PRODUCT } },
      { type: 'section', text: { type: 'mrkdwn', text: refusal } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: t(locale, 'home.refused.hint') }] },
    ],
  };
}

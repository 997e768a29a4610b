import { describe, expect, it } from 'vitest';
import { blockKitProblems, viewProblems } from '../../sandbox/block-kit-limits.ts';
import {
  answeredMessage,
  commentModal,
  expiredMessage,
  surveyMessage,
} from '../../src/slack/blocks/survey.ts';
import { surveyFiguresSection } from '../../src/slack/blocks/survey-figures.ts';
import { SURVEY_BLOCK } from '../../src/slack/constants.ts';
import { emptySurveyFigures } from '../../src/store/surveys/figures.ts';

const base = {
  surveyId: 42,
  product: 'Pulse <Demo>',
  recipientName: 'Ana Souza',
  expiresAt: new Date('2026-11-30T12:00:00Z'),
  timezone: 'UTC',
};
type Actions = {
  block_id: string;
  elements: Array<{ action_id: string; value: string; text: { text: string } }>;
};
const actionsOf = (blocks: unknown[]) =>
  (blocks as Actions[]).filter((b) => b.block_id === SURVEY_BLOCK.scores);

describe('the survey message', () => {
  it('asks NPS with 0–10 in one actions block, each button carrying the survey and its score', () => {
    const { text, blocks } = surveyMessage({ ...base, kind: 'nps', locale: 'en' });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const [actions, ...more] = actionsOf(blocks);
    expect(more).toEqual([]);
    expect(actions!.elements.map((e) => e.value)).toEqual(Array.from({ length: 11 }, (_, i) => `42:${i}`));
    expect(new Set(actions!.elements.map((e) => e.action_id)).size).toBe(11);
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('Hi Ana!');
    expect(shown).toContain('recommend Pulse &lt;Demo&gt; to a friend');
    expect(shown).toContain('0 = not at all likely · 10 = extremely likely');
    expect(shown).toContain('Open until Mon 30 Nov');
    expect(text).toBe('A quick question from Pulse &lt;Demo&gt;: how are we doing?');
  });

  it('asks CSAT 1–5 in Portuguese, and mentions the person when posted in a shared channel', () => {
    const { blocks } = surveyMessage({ ...base, kind: 'csat', locale: 'pt-BR', mentionUserId: 'U0ANA' });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(actionsOf(blocks)[0]!.elements.map((e) => e.text.text)).toEqual(['1', '2', '3', '4', '5']);
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('<@U0ANA>, esta pergunta rápida é para você');
    expect(shown).toContain('1 = muito insatisfeito · 5 = muito satisfeito');
  });

  it('thanks, offers "Tell us why" until a comment came, and closes without buttons', () => {
    const answered = answeredMessage({ surveyId: 42, locale: 'en', score: 3, commented: false });
    expect(blockKitProblems(answered.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(answered.blocks)).toContain('survey_tell_us_why');
    const commented = answeredMessage({ surveyId: 42, locale: 'pt-BR', score: 3, commented: true });
    expect(JSON.stringify(commented.blocks)).not.toContain('survey_tell_us_why');
    expect(JSON.stringify(commented.blocks)).toContain('Obrigado por nos contar o porquê');
    expect(JSON.stringify(expiredMessage('en').blocks)).not.toContain('button');
  });

  it('builds a valid comment modal in either language', () => {
    for (const locale of ['en', 'pt-BR']) {
      expect(viewProblems(commentModal(locale, { surveyId: 42, channel: 'D1', ts: '1.2' }))).toEqual([]);
    }
  });
});

describe('the health card section', () => {
  it('puts the response count and rate beside every figure, and says when there is nothing', () => {
    const account = emptySurveyFigures();
    account.nps = {
      value: -20,
      promoters: 1,
      passives: 2,
      detractors: 2,
      responses: 5,
      sent: 8,
      responseRate: 63,
    };
    const block = surveyFiguresSection({ account, portfolio: emptySurveyFigures(), windowDays: 90 });
    expect(blockKitProblems([block], 'message')).toEqual([]);
    const text = (block as { text: { text: string } }).text.text;
    expect(text).toBe(
      '*Surveys* (last 90 days)\n' +
        '• NPS *−20* · 5 of 8 answered (63%)  _(portfolio: NPS no answers · none sent)_\n' +
        '• CSAT _no answers_ · none sent  _(portfolio: CSAT no answers · none sent)_',
    );
  });
});

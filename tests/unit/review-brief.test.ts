import { describe, expect, it } from 'vitest';
import { percentChange, type ReviewBriefFacts, talkingPoints } from '../../src/domain/review-brief.ts';
import type { Locale } from '../../src/i18n/index.ts';
import {
  briefBlocks,
  briefText,
  goalReportBlocks,
  goalReportText,
  outcomeModal,
  outcomeReminderBlocks,
  talkingPointText,
} from '../../src/slack/blocks/review.ts';
import { blocksText } from '../helpers/blocks.ts';
import { englishIn } from '../helpers/english-sentences.ts';

/** The talking points as the reader reads them. */
const said = (f: ReviewBriefFacts, locale: Locale = 'en') =>
  talkingPoints(f).map((p) => talkingPointText(locale, p));

const quiet: ReviewBriefFacts = {
  account: { key: 'acme', name: 'Acme Corp', tier: 'high_touch', renewalDate: '2028-06-30' },
  upcoming: { startsAt: new Date('2027-04-07T17:00:00Z'), timezone: 'America/Sao_Paulo' },
  since: { at: new Date('2027-01-06T17:00:00Z'), lastReview: true },
  goals: [
    {
      goal: {
        description: 'Sponsor named',
        metric: null,
        comparator: null,
        target: null,
        dueDate: '2027-03-01',
      },
      status: { state: 'untracked', current: null },
    },
  ],
  health: { score: 78, band: 'green', scoreThen: 74 },
  usage: { now: 21, before: 20 },
  tickets: { now: 2, before: 3 },
  milestones: { reached: [], overdue: [] },
  nps: { score: 40, answers: 5 },
  csat: { percent: 90, answers: 10 },
  billingFlags: [],
  today: '2027-04-02',
};

/** A quarter that went wrong on every front. */
const rough: ReviewBriefFacts = {
  ...quiet,
  account: { ...quiet.account, renewalDate: '2027-06-30' },
  goals: [
    {
      goal: {
        description: 'Roll out to sales',
        metric: 'active_users',
        comparator: '>=',
        target: 40,
        dueDate: '2027-03-31',
      },
      status: { state: 'missed', current: 14 },
    },
    {
      goal: {
        description: 'Train admins',
        metric: 'admins_trained',
        comparator: '>=',
        target: 5,
        dueDate: '2027-03-01',
      },
      status: { state: 'met', current: 6 },
    },
  ],
  health: { score: 44, band: 'red', scoreThen: 71 },
  usage: { now: 14, before: 20 },
  tickets: { now: 9, before: 3 },
  milestones: {
    reached: [{ title: 'SSO live', reachedAt: new Date('2027-02-10T12:00:00Z') }],
    overdue: [{ title: 'Sales rollout', plannedFor: '2027-03-15' }],
  },
  nps: { score: -20, answers: 5 },
  csat: { percent: 60, answers: 5 },
  billingFlags: [
    {
      externalId: 'in_1',
      type: 'payment_failed',
      occurredAt: new Date('2027-03-28T00:00:00Z'),
      amount: '1200.00',
      currency: 'USD',
      dueDate: null,
      cardExpiresAt: null,
    },
  ],
};

describe('the pre-review brief', () => {
  it('derives one talking point per worrying fact, most pressing first', () => {
    expect(talkingPoints(rough).map((p) => p.kind)).toEqual([
      'billingFlags',
      'renewal',
      'usageFell',
      'healthFell',
      'goalMissed',
      'goalsMet',
      'milestonesOverdue',
      'milestonesReached',
      'npsNegative',
      'csatLow',
      'ticketsRose',
    ]);
    expect(said(rough)).toEqual([
      '1 billing red flag open: settle it before talking about expansion.',
      'Renewal on Wed 30 Jun 2027, in 89 days: confirm the decision makers and the renewal plan.',
      'Usage fell 30% since the last review (20 → 14 active users a day): ask what changed.',
      'Health fell from 71 to 44 since the last review: walk through what drove it down.',
      'Goal missed: Roll out to sales (active users ≥ 40) by Wed 31 Mar 2027. Agree on what gets it back on track.',
      'Celebrate 1 goal met: Train admins.',
      '1 milestone overdue (Sales rollout): re-plan them together.',
      'Celebrate 1 milestone reached: SSO live.',
      'NPS is −20 since the last review: hear out the detractors.',
      'CSAT is 60% since the last review: ask where support fell short.',
      'Open support tickets rose from 3 to 9: review the open ones.',
    ]);
  });

  it('says the same talking points, with the same figures, in Portuguese', () => {
    expect(said(rough, 'pt-BR')).toEqual([
      '1 bandeira vermelha de cobrança aberta: resolva-a antes de falar em expansão.',
      'Renovação em qua., 30 de jun. de 2027, daqui a 89 dias: confirme os decisores e o plano de renovação.',
      'O uso caiu 30% desde a última revisão (20 → 14 usuários ativos por dia): pergunte o que mudou.',
      'O Health Score caiu de 71 para 44 desde a última revisão: repassem juntos o que o derrubou.',
      'Meta não cumprida: Roll out to sales (active users ≥ 40) até qua., 31 de mar. de 2027. Combinem o que a coloca de volta nos trilhos.',
      'Comemore 1 meta cumprida: Train admins.',
      '1 marco de sucesso atrasado (Sales rollout): replanejem juntos.',
      'Comemore 1 marco de sucesso atingido: SSO live.',
      'O NPS está em −20 desde a última revisão: ouça os detratores.',
      'O CSAT está em 60% desde a última revisão: pergunte onde o suporte deixou a desejar.',
      'Os tickets de suporte abertos subiram de 3 para 9: revise os que estão abertos.',
    ]);
  });

  it('has nothing to warn about in a quiet quarter', () => {
    expect(said(quiet)).toEqual([
      'No warning signs: use the time for the next period’s goals and expansion.',
    ]);
    expect(said(quiet, 'pt-BR')).toEqual([
      'Nenhum sinal de alerta: use o tempo para as metas do próximo período e para a expansão.',
    ]);
  });

  it('asks for measurable goals when the last review recorded none, and celebrates growth', () => {
    const grown: ReviewBriefFacts = { ...quiet, goals: [], usage: { now: 26.5, before: 20 } };
    expect(said(grown)).toEqual([
      'Usage grew 33% since the last review (20 → 26.5 active users a day): open with it.',
      'No goals were recorded at the last review: set measurable ones this time.',
    ]);
    expect(said({ ...grown, since: { ...grown.since, lastReview: false } }, 'pt-BR')).toEqual([
      'O uso cresceu 33% no período (20 → 26,5 usuários ativos por dia): comece por aí.',
    ]);
  });

  it('changes in percent only between two figures', () => {
    expect(percentChange(20, 14)).toBe(-30);
    expect(percentChange(null, 14)).toBeNull();
    expect(percentChange(0, 14)).toBeNull();
  });

  it('renders every section of the brief', () => {
    expect(briefText(rough)).toBe('Review brief: Acme Corp');
    const text = blocksText(briefBlocks(rough));
    for (const part of [
      'Review brief: Acme Corp',
      'figures since the last review (Wed 6 Jan 2027)',
      '*Goals from the last review*',
      'Roll out to sales (active users ≥ 40) by Wed 31 Mar 2027: *missed (now 14)*',
      '*Health*\\n44/100 red (was 71)',
      '*Active users a day*\\n20 → 14',
      '*Open tickets*\\n3 → 9',
      '*NPS / CSAT*\\n−20 (5) / 60% (5)',
      '*Billing red flags*\\nPayment failed',
      '*Renewal*\\nWed 30 Jun 2027',
      ':white_check_mark: SSO live (Wed 10 Feb 2027)',
      ':warning: Sales rollout: overdue since Mon 15 Mar 2027',
      '*Talking points*\\n• 1 billing red flag open',
      'Usage fell 30%',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('renders the same brief, figure for figure, in Portuguese', () => {
    expect(briefText(rough, 'pt-BR')).toBe('Briefing da revisão: Acme Corp');
    const text = blocksText(briefBlocks(rough, 'pt-BR'));
    for (const part of [
      'Briefing da revisão: Acme Corp',
      'números desde a última revisão (qua., 6 de jan. de 2027)',
      '*Metas da última revisão*',
      'Roll out to sales (active users ≥ 40) até qua., 31 de mar. de 2027: *não cumprida (agora 14)*',
      '*Health Score*\\n44/100 vermelho (era 71)',
      '*Usuários ativos por dia*\\n20 → 14',
      '*Tickets abertos*\\n3 → 9',
      '*NPS / CSAT*\\n−20 (5) / 60% (5)',
      '*Bandeiras vermelhas de cobrança*\\nPagamento recusado',
      '*Renovação*\\nqua., 30 de jun. de 2027',
      ':white_check_mark: SSO live (qua., 10 de fev. de 2027)',
      ':warning: Sales rollout: atrasado desde seg., 15 de mar. de 2027',
      '*Pontos para a conversa*\\n• 1 bandeira vermelha de cobrança aberta',
      'O uso caiu 30%',
    ]) {
      expect(text).toContain(part);
    }
    for (const english of [
      'Review brief',
      'Talking points',
      'Goals from',
      'Billing red flags',
      'overdue since',
    ]) {
      expect(text).not.toContain(english);
    }
  });
});

describe('after the review, in both languages', () => {
  const review = { id: 7, kind: 'rts' as const, startsAt: new Date('2027-04-07T17:00:00Z'), timezone: 'UTC' };
  const goals = rough.goals;

  it('asks for the outcome and reports the goals in English', () => {
    expect(blocksText(outcomeReminderBlocks(review, { name: 'Acme Corp' }))).toContain(
      'How did the RTS (quarterly success review) with *Acme Corp*',
    );
    expect(goalReportText({ name: 'Acme Corp' }, '2027-05')).toBe('Goals of Acme Corp, May 2027');
    expect(blocksText(goalReportBlocks({ name: 'Acme Corp', key: 'acme' }, '2027-05', goals))).toContain(
      'Train admins (admins trained ≥ 5) by Mon 1 Mar 2027: *met (now 6)*',
    );
  });

  it('says the same in Portuguese, with no English sentence of the catalogue left', () => {
    const reminder = outcomeReminderBlocks(review, { name: 'Acme Corp' }, 'pt-BR');
    expect(blocksText(reminder)).toContain('Como foi a Revisão Trimestral de Sucesso (RTS) com *Acme Corp*');
    expect(blocksText(reminder)).toContain('Registrar o resultado');
    const modal = outcomeModal(review, { name: 'Acme Corp' }, [goals[0]!.goal], 'pt-BR');
    expect(blocksText(modal)).toContain('Metas combinadas com *Acme Corp*');
    expect(goalReportText({ name: 'Acme Corp' }, '2027-05', 'pt-BR')).toBe(
      'Metas de Acme Corp, maio de 2027',
    );
    const report = goalReportBlocks({ name: 'Acme Corp', key: 'acme' }, '2027-05', goals, 'pt-BR');
    expect(blocksText(report)).toContain(
      'Train admins (admins trained ≥ 5) até seg., 1 de mar. de 2027: *cumprida (agora 6)*',
    );
    // The customer's own words (a goal's metric `active_users`) are data, not catalogue: Portuguese ones here.
    const theirs = rough.goals.map((g) => ({ ...g, goal: { ...g.goal, metric: 'usuarios_ativos' } }));
    const shown = [
      reminder,
      modal,
      goalReportBlocks({ name: 'Acme Corp', key: 'acme' }, '2027-05', theirs, 'pt-BR'),
      briefBlocks({ ...rough, goals: theirs }, 'pt-BR'),
    ];
    for (const blocks of shown) expect(englishIn(blocks)).toEqual([]);
  });
});

import type { KnownBlock } from '@slack/types';
import { type Locale, type TeamKey, t } from '../../i18n/index.ts';
import { SUBCOMMAND_ALIASES, type Subcommand, USAGE } from '../constants.ts';

/** What each subcommand does, by its catalogue key: a subcommand without one does not compile. */
const ABOUT: Record<Subcommand, TeamKey> = {
  help: 'cs.about.help',
  health: 'cs.about.health',
  'health-model': 'cs.about.healthModel',
  accounts: 'cs.about.accounts',
  milestone: 'cs.about.milestone',
  milestones: 'cs.about.milestones',
  rts: 'cs.about.rts',
  survey: 'cs.about.survey',
  digest: 'cs.about.digest',
  note: 'cs.about.note',
  timeline: 'cs.about.timeline',
  connectors: 'cs.about.connectors',
  metrics: 'cs.about.metrics',
};

/** The placeholders of the usage lines, as the locale names them: `<account>` / `<conta>`. */
const PLACEHOLDERS: Array<[string, TeamKey]> = [
  ['<account>', 'cs.usage.account'],
  ['<title>', 'cs.usage.title'],
  ['<text>', 'cs.usage.text'],
  ['@owner', 'cs.usage.owner'],
  ['YYYY-MM-DD', 'cs.usage.day'],
  ['YYYY-MM', 'cs.usage.month'],
  ['HH:MM', 'cs.usage.time'],
];

/** A subcommand's usage line with its placeholders in the locale; the grammar's words stay English. */
export function usageLine(locale: Locale, subcommand: Subcommand): string {
  let line: string = USAGE[subcommand].usage;
  for (const [placeholder, key] of PLACEHOLDERS) line = line.replaceAll(placeholder, t(locale, key));
  return line;
}

/** The Portuguese words typed for a subcommand, as `/cs …` (none in English: the aliases are Portuguese). */
const aliasesOf = (locale: Locale, subcommand: Subcommand) =>
  locale === 'en'
    ? []
    : Object.entries(SUBCOMMAND_ALIASES)
        .filter(([word, meant]) => meant === subcommand && !/[^\p{ASCII}]/u.test(word))
        .map(([word]) => `\`/cs ${word}\``);

/** `/cs help`: every subcommand with what it does; in Portuguese, with the Portuguese words it accepts. */
export function helpBlocks(locale: Locale): KnownBlock[] {
  const lines = (Object.keys(USAGE) as Subcommand[]).map((s) => {
    const usage = `\`${usageLine(locale, s)}\``;
    const about = t(locale, ABOUT[s]);
    const aliases = aliasesOf(locale, s);
    return aliases.length
      ? t(locale, 'cs.help.lineWithAliases', { usage, aliases: aliases.join(', '), about })
      : t(locale, 'cs.help.line', { usage, about });
  });
  const notes = [t(locale, 'cs.help.accountNote')];
  if (locale !== 'en') notes.push(t(locale, 'cs.help.bandAliases'));
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${t(locale, 'cs.help.intro')}\n${lines.join('\n')}` },
    },
    { type: 'context', elements: notes.map((text) => ({ type: 'mrkdwn' as const, text })) },
  ];
}

/** The answer to malformed input: what was wrong and the subcommand's usage line. */
export function usageBlocks(locale: Locale, problem: string, usage: string): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: t(locale, 'cs.usage.block', { problem, usage }) } },
  ];
}

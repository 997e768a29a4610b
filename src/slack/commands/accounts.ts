import type { Deps } from '../../deps.ts';
import type { Band } from '../../domain/health.ts';
import { t } from '../../i18n/index.ts';
import { listPortfolio } from '../../store/health.ts';
import { portfolioBlocks } from '../blocks/portfolio.ts';
import { ACCOUNTS_PAGE } from '../constants.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs accounts [band]`: the portfolio worst first, a page of 25 at a time ("Next 25" turns the page). */
export async function portfolioAnswer(
  command: { band?: Band; offset?: number },
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const offset = command.offset ?? 0;
  const portfolio = await listPortfolio(deps.db.orm, {
    band: command.band,
    limit: ACCOUNTS_PAGE,
    offset,
    now: deps.clock(),
  });
  const { red, yellow, green } = portfolio.counts;
  return ephemeral(
    t(locale, 'portfolio.text', { red, yellow, green }),
    portfolioBlocks({ ...portfolio, band: command.band, offset, locale }),
  );
}

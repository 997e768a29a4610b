import type { Deps } from '../../deps.ts';
import type { Band } from '../../domain/health.ts';
import { listPortfolio } from '../../store/health.ts';
import { portfolioBlocks } from '../blocks/portfolio.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

/** One screen of accounts; the rest is summarised as "and N more". */
const PAGE = 25;

/** `/cs accounts [band]`: the portfolio worst first. */
export async function portfolioAnswer(command: { band?: Band }, deps: Deps): Promise<CommandAnswer> {
  const portfolio = await listPortfolio(deps.db.orm, { band: command.band, limit: PAGE, now: deps.clock() });
  const { red, yellow, green } = portfolio.counts;
  return ephemeral(
    `Portfolio: ${red} red, ${yellow} yellow, ${green} green`,
    portfolioBlocks({ ...portfolio, band: command.band }),
  );
}

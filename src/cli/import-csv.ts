import { readFile } from 'node:fs/promises';
import { importCsv } from '../api/csv.ts';
import { INGEST_KINDS, type IngestKind } from '../domain/ingestion.ts';
import { runCli, withCliDeps } from './context.ts';

const USAGE = `usage: npm run import -- <${INGEST_KINDS.join('|')}> <file.csv>`;

/**
 * `npm run import -- <kind> <file.csv>`: the CSV goes through the API's validation as one batch, all or
 * nothing; problems are printed with their line numbers and the exit code is 1.
 */
async function main(args: string[]): Promise<number> {
  const [kind, file, ...extra] = args;
  if (!INGEST_KINDS.includes(kind as IngestKind) || !file || extra.length) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }

  const result = await withCliDeps('npm run import', (deps) => importCsv(deps, kind as IngestKind, text));
  if (!result.ok) {
    for (const error of result.errors) console.error(error);
    console.error(`nothing stored: ${result.problems} problem(s) in ${file}`);
    return 1;
  }
  const duplicates = result.duplicates ? ` (${result.duplicates} already stored)` : '';
  console.log(`stored ${result.stored} ${kind}${duplicates}`);
  return 0;
}

await runCli(() => main(process.argv.slice(2)));

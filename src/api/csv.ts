import { CsvError, type Info, parse } from 'csv-parse/sync';
import { fieldsOf, type IngestKind } from '../domain/ingestion.ts';
import { parseBatch } from '../domain/ingestion-batch.ts';
import { MAX_PROBLEMS, moreProblems, type Problem } from '../domain/problems.ts';
import { type IngestDeps, ingest } from '../services/ingestion.ts';

/** Columns holding numbers: a cell that reads as one is converted, anything else is left for zod to refuse. */
const NUMERIC_COLUMNS = new Set(['value', 'mrr', 'seats', 'amount']);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface CsvProblem {
  line: number;
  /** The column the problem is in, when it is in one cell. */
  field?: string;
  message: string;
}

export interface CsvRows {
  /** One object per data row; a row whose cells do not match the header is left out (see `problems`). */
  rows: Record<string, string | number>[];
  /** The line each row starts on; the header is line 1. */
  lines: number[];
  /** Problems with the file's shape: syntax, header, number of cells. */
  problems: CsvProblem[];
}

const NEWLINE = 0x0a;
const isBlank = (byte: number | undefined) =>
  byte === NEWLINE || byte === 0x0d || byte === 0x20 || byte === 0x09;

/**
 * Reads a CSV file of one ingestion kind: the header row names the fields, an empty cell leaves its field
 * out. Each row keeps the line it starts on, counted from csv-parse's byte offsets, so a quoted cell
 * spanning several lines does not shift the lines after it.
 */
export function parseCsv(kind: IngestKind, text: string): CsvRows {
  const buffer = Buffer.from(text);
  let records: Array<{ record: string[]; info: Info }>;
  try {
    // With `info`, each record comes with its byte offset; csv-parse's types do not model that option.
    records = parse(buffer, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : 1;
    return { rows: [], lines: [], problems: [{ line, message: error.message }] };
  }

  let offset = 0;
  let line = 1;
  const located = records
    .map(({ record, info }) => {
      while (offset < info.bytes && isBlank(buffer[offset])) if (buffer[offset++] === NEWLINE) line++;
      const start = line;
      for (; offset < info.bytes; offset++) if (buffer[offset] === NEWLINE) line++;
      return { cells: record, line: start };
    })
    .filter(({ cells }) => cells.some((cell) => cell !== ''));

  const [header, ...body] = located;
  if (!header) {
    return {
      rows: [],
      lines: [],
      problems: [{ line: 1, message: 'the file is empty; its first line must name the columns' }],
    };
  }
  const headerErrors = headerProblems(kind, header.cells, header.line);
  if (headerErrors.length) return { rows: [], lines: [], problems: headerErrors };

  const result: CsvRows = { rows: [], lines: [], problems: [] };
  for (const { cells, line } of body) {
    if (cells.length !== header.cells.length) {
      result.problems.push({
        line,
        message: `${cells.length} cells, but the header names ${header.cells.length} columns`,
      });
      continue;
    }
    const row: Record<string, string | number> = {};
    header.cells.forEach((column, i) => {
      const cell = cells[i]!;
      if (cell === '') return;
      row[column] = NUMERIC_COLUMNS.has(column) && DECIMAL.test(cell) ? Number(cell) : cell;
    });
    result.rows.push(row);
    result.lines.push(line);
  }
  return result;
}

function headerProblems(kind: IngestKind, columns: string[], line: number): CsvProblem[] {
  const fields = fieldsOf(kind);
  return columns.flatMap((column, i): CsvProblem[] => {
    if (column === '') return [{ line, message: `column ${i + 1} has no name` }];
    if (columns.indexOf(column) !== i) return [{ line, message: `column "${column}" appears twice` }];
    if (!fields.includes(column)) {
      return [
        { line, message: `unknown column "${column}"; the columns of ${kind} are: ${fields.join(', ')}` },
      ];
    }
    return [];
  });
}

/**
 * Imports a CSV file through `ingest()`: one batch, all or nothing. Every problem comes back with its
 * line, in line order: `line 7, value: expected a number`, up to MAX_PROBLEMS, then "…and N more";
 * `problems` counts them all.
 */
export async function importCsv(
  deps: IngestDeps,
  kind: IngestKind,
  text: string,
): Promise<
  { ok: true; stored: number; duplicates?: number } | { ok: false; errors: string[]; problems: number }
> {
  const { rows, lines, problems } = parseCsv(kind, text);
  const atLine = ({ path, message }: Problem): CsvProblem => {
    const [, index, field] = /^\[(\d+)\]\.?(.*)$/.exec(path) ?? [];
    return { line: lines[Number(index)] ?? 1, field: field || undefined, message };
  };
  if (problems.length) {
    // The rows that could be read are still checked, so one round of fixes is enough.
    const checked = rows.length ? parseBatch(kind, rows) : { ok: true as const };
    return checked.ok
      ? refused(problems)
      : refused([...problems, ...checked.errors.map(atLine)], checked.more);
  }
  const result = await ingest(deps, kind, rows);
  if (result.ok) return { ok: true, stored: result.stored, duplicates: result.duplicates };
  return refused(result.errors.map(atLine), result.more);
}

/** The first MAX_PROBLEMS problems by line, then "…and N more" for the rest and the `uncounted` ones. */
function refused(found: CsvProblem[], uncounted = 0): { ok: false; errors: string[]; problems: number } {
  const listed = found
    .sort((a, b) => a.line - b.line)
    .slice(0, MAX_PROBLEMS)
    .map(format);
  const more = found.length - listed.length + uncounted;
  return {
    ok: false,
    errors: more ? [...listed, moreProblems(more)] : listed,
    problems: found.length + uncounted,
  };
}

const format = ({ line, field, message }: CsvProblem) =>
  field ? `line ${line}, ${field}: ${message}` : `line ${line}: ${message}`;

import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger, messageWithoutData, redactQuery } from '../../src/logger.ts';

const failedQuery = () =>
  new DrizzleQueryError(
    'insert into contacts (email, name) values ($1, $2)',
    ['ana@acme.example', 'Ana Souza'],
    new Error('value too long for type character varying(200)'),
  );

describe('what logs and stored errors keep of ingested data', () => {
  it('a URL loses its query, names and values alike', () => {
    expect(redactQuery('/api/v1/reports/retention?owner=ana@acme.example&from=2024-01-01')).toBe(
      '/api/v1/reports/retention?[redacted]',
    );
    expect(redactQuery('/healthz')).toBe('/healthz');
  });

  it("a failed query's message keeps the query and what the database said, not the parameters", () => {
    expect(messageWithoutData(failedQuery())).toBe(
      'Failed query: insert into contacts (email, name) values ($1, $2) (parameters left out): value too long for type character varying(200)',
    );
    expect(messageWithoutData(new Error('the CRM is down'))).toBe('the CRM is down');
    expect(messageWithoutData('plain')).toBe('plain');
  });

  it('a logged error leaves the parameters out of its message, stack and fields, as a cause too', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.error({ err: failedQuery() }, 'failed');
    logger.error({ err: new Error('handler failed', { cause: failedQuery() }) }, 'wrapped');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain('(parameters left out)');
      expect(line).not.toContain('ana@acme.example');
      expect(line).not.toContain('Ana Souza');
    }
    expect(JSON.parse(lines[0]!).err.message).toBe(
      'Failed query: insert into contacts (email, name) values ($1, $2) (parameters left out): value too long for type character varying(200)',
    );
  });
});

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { currency } from '../domain/ingestion.ts';
import type { Problem } from '../domain/problems.ts';
import { type AccountMovement, centsText } from '../domain/retention.ts';
import { hasBearerToken } from '../http/bearer.ts';
import { healthBacktestReport, retentionReport } from '../services/retention.ts';

const error = (message: string) => ({ errors: [{ path: '', message }] });

const day = z.iso
  .date({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a date, YYYY-MM-DD') })
  .refine((d) => !d.startsWith('0000'), 'year 0000 does not exist');

const retentionQuery = z
  .strictObject({
    from: day,
    to: day,
    currency: currency.optional(),
    owner: z
      .string()
      .regex(/^[A-Z][A-Z0-9]+$/, 'must be a Slack user ID: a capital letter, then capitals and digits')
      .optional(),
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
  })
  .refine((q) => q.from <= q.to, {
    path: ['to'],
    message: 'must not be before from',
    // Compared only once both are dates.
    when: ({ issues }) => issues.every((issue) => issue.path?.[0] !== 'from' && issue.path?.[0] !== 'to'),
  });

const backtestQuery = z.strictObject({
  horizon: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be between 1 and 365')
    .max(365, 'must be between 1 and 365')
    .default(90),
});

/** A query's problems, one per parameter, as the ingestion API lists a body's. */
function queryProblems(issues: z.core.$ZodIssue[], accepted: string[]): Problem[] {
  return issues.flatMap((issue): Problem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: key,
          message: `unknown parameter; the parameters are: ${accepted.join(', ')}`,
        }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );
}

/** One row per account: its MRR at the period's start and end and what it did, for a BI tool. */
function movementsCsv(currencyCode: string, movements: AccountMovement[]): string {
  const lines = movements.map(
    (m) => `${m.key},${currencyCode},${centsText(m.start)},${centsText(m.end)},${m.kind}`,
  );
  return `${['account,currency,start,end,movement', ...lines].join('\r\n')}\r\n`;
}

/**
 * `GET /api/v1/reports/retention` and `GET /api/v1/reports/health-backtest` (docs/retention.md), behind
 * the ingestion API's bearer token: 404 without INGEST_TOKEN, 401 without the token, 400 with every
 * problem of the query.
 */
export function registerReportRoutes(app: FastifyInstance, deps: Deps): void {
  const token = deps.config.ingestToken;
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!token) return reply.code(404).send(error('the reports API is off; set INGEST_TOKEN to turn it on'));
    if (!hasBearerToken(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(error('missing or wrong token; send the header "Authorization: Bearer <INGEST_TOKEN>"'));
    }
  };

  app.get('/api/v1/reports/retention', { onRequest: guard }, async (request, reply) => {
    const parsed = retentionQuery.safeParse(request.query);
    if (!parsed.success) {
      const accepted = Object.keys(retentionQuery.shape);
      return reply.code(400).send({ errors: queryProblems(parsed.error.issues, accepted) });
    }
    const { format, ...query } = parsed.data;
    const answer = await retentionReport(deps, query);
    if (!answer.ok) {
      return reply.code(400).send({
        errors: [
          {
            path: 'currency',
            message: `the accounts use more than one currency (${answer.currencies.join(', ')}); choose one, e.g. currency=${answer.currencies[0]}`,
          },
        ],
      });
    }
    if (format === 'csv') {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="retention-${query.from}-${query.to}.csv"`)
        .send(movementsCsv(answer.report.currency, answer.movements));
    }
    return reply.send(answer.report);
  });

  app.get('/api/v1/reports/health-backtest', { onRequest: guard }, async (request, reply) => {
    const parsed = backtestQuery.safeParse(request.query);
    if (!parsed.success) {
      const accepted = Object.keys(backtestQuery.shape);
      return reply.code(400).send({ errors: queryProblems(parsed.error.issues, accepted) });
    }
    return reply.send(await healthBacktestReport(deps, parsed.data.horizon));
  });
}

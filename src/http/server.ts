import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { redactQuery } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export const BODY_LIMIT = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: Slack signs these bytes. */
    rawBody?: string;
  }
}

/**
 * The one HTTP server on PORT. Bodies over 1 MiB get 413 on every route; errors answer as
 * `{"errors":[{path,message}]}` and never leak a stack trace.
 */
export function createHttpServer(logger: Logger, metrics: Metrics): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.decorateRequest('rawBody', undefined);

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(
        Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }),
      );
    }
  });
  app.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'text/plain', 'text/csv'],
    { parseAs: 'string' },
    (request, body, done) => {
      request.rawBody = body as string;
      done(null, body);
    },
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send({ errors: [{ path: '', message: 'the body is larger than 1 MiB; send smaller batches' }] });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ errors: [{ path: '', message: error.message }] });
    }
    request.log.error({ err: error, url: redactQuery(request.url) }, 'request failed');
    return reply.code(500).send({ errors: [{ path: '', message: 'internal error; it has been logged' }] });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ errors: [{ path: '', message: `no route ${request.method} ${request.url.split('?')[0]}` }] });
  });

  return app;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { SEGMENT_BATCH_LIMIT, SEGMENT_CALL_LIMIT } from '../../domain/segment-messages.ts';
import { createSegmentSource, type Received } from './receive.ts';

const CALLS = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;

const error = (message: string) => ({ errors: [{ path: '', message }] });
const digest = (value: string) => createHash('sha256').update(value).digest();

/** The write key of a request: the Basic-auth user (Segment's way), else the body's `writeKey`. */
function writeKeyOf(request: FastifyRequest): string | undefined {
  const basic = /^Basic +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  if (basic) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0];
  const body = request.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' ? body.writeKey : undefined;
}

/**
 * Segment's HTTP Tracking API (`POST /v1/batch`, `/v1/track`, `/v1/identify`, `/v1/group`, `/v1/page`,
 * and `/v1/screen`, `/v1/alias` which SDKs also send), so an app instrumented for Segment sends to
 * Pulse by changing its host. As Segment does: the write key is the Basic-auth user, a batch over
 * 500 KB or a call over 32 KB gets 400, and anything readable gets 200 with `{"success": true}`, each
 * message that cannot be used listed in `refused` with its reason. Without SEGMENT_WRITE_KEY: 404.
 */
export function registerSegmentRoutes(app: FastifyInstance, deps: Deps): void {
  const settings = deps.config.segment;
  const source = settings && createSegmentSource({ ...deps, settings });

  const guard = (limit: number) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!settings) {
      return reply.code(404).send(error('the Segment source is off; set SEGMENT_WRITE_KEY to turn it on'));
    }
    const given = writeKeyOf(request);
    if (given === undefined || !timingSafeEqual(digest(given), digest(settings.writeKey))) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Segment write key"')
        .send(error('missing or wrong write key; send it as the Basic-auth user'));
    }
    if (Buffer.byteLength(request.rawBody ?? '') > limit) {
      return reply
        .code(400)
        .send(error(`the body is larger than ${limit / 1024} KB, Segment's limit; send smaller batches`));
    }
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      return reply.code(400).send(error('the body must be a JSON object sent as application/json'));
    }
  };

  app.post('/v1/batch', { preHandler: guard(SEGMENT_BATCH_LIMIT) }, async (request, reply) => {
    const body = request.body as { batch?: unknown; context?: Record<string, unknown> };
    if (!Array.isArray(body.batch)) return reply.code(400).send(error('"batch" must be an array of calls'));
    // A context at the top of the batch applies to every call in it; a call's own fields win.
    const messages = body.context
      ? body.batch.map((m) =>
          typeof m === 'object' && m !== null
            ? { ...m, context: { ...body.context, ...(m as { context?: object }).context } }
            : m,
        )
      : body.batch;
    return reply.code(200).send(answer(await source!.receive(messages)));
  });

  for (const type of CALLS) {
    app.post(`/v1/${type}`, { preHandler: guard(SEGMENT_CALL_LIMIT) }, async (request, reply) => {
      const result = await source!.receive([{ ...(request.body as object), type }]);
      return reply.code(200).send(answer(result));
    });
  }
}

const answer = ({ stored, duplicates, refused }: Received) => ({
  success: true,
  stored,
  duplicates,
  ...(refused.length ? { refused } : {}),
});

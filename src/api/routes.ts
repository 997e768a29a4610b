import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { INGEST_KINDS } from '../domain/ingestion.ts';
import { problemList } from '../domain/problems.ts';
import { hasBearerToken } from '../http/bearer.ts';
import { ingest } from '../services/ingestion.ts';

const error = (message: string) => ({ errors: [{ path: '', message }] });

/** A request carries a body when it says so; an empty one is left to validation, which explains it. */
const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * `POST /api/v1/<kind>` for each ingestion kind: bearer token first (401, nothing read), then JSON only
 * (415), then validation (400, every problem up to MAX_PROBLEMS, then how many more) or `{"stored": N}`.
 * Without INGEST_TOKEN the API is off and each route answers 404.
 */
export function registerIngestionRoutes(app: FastifyInstance, deps: Deps): void {
  const token = deps.config.ingestToken;

  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!token) {
      return reply.code(404).send(error('the ingestion API is off; set INGEST_TOKEN to turn it on'));
    }
    if (!hasBearerToken(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(error('missing or wrong token; send the header "Authorization: Bearer <INGEST_TOKEN>"'));
    }
    const type = request.headers['content-type'];
    if ((type !== undefined || hasBody(request)) && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
      return reply
        .code(415)
        .send(
          error(`the body must be JSON sent with "Content-Type: application/json" (got ${type ?? 'none'})`),
        );
    }
  };

  for (const kind of INGEST_KINDS) {
    app.post(`/api/v1/${kind}`, { onRequest: guard }, async (request, reply) => {
      const result = await ingest(deps, kind, request.body);
      if (!result.ok) return reply.code(400).send({ errors: problemList(result.errors, result.more) });
      const { stored, duplicates } = result;
      return reply.code(200).send(duplicates === undefined ? { stored } : { stored, duplicates });
    });
  }
}

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { hasBearerToken } from './bearer.ts';
import { registerConnectorsRoute } from './connectors-route.ts';
import { registerSchedulesRoute } from './schedules-route.ts';

/**
 * The operational endpoints: GET /metrics (Prometheus text), GET /schedules and GET /connectors. With OPS_TOKEN set they
 * answer only to `Authorization: Bearer <OPS_TOKEN>`, 401 otherwise; where they are served (PORT, or
 * OPS_PORT on 127.0.0.1) is the caller's choice of `app`.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: Deps): void {
  // A plugin of its own, so the token hook guards these routes and no others.
  app.register(async (ops) => {
    const token = deps.config.ops.token;
    if (token) {
      ops.addHook('onRequest', async (request, reply) => {
        if (hasBearerToken(request.headers.authorization, token)) return;
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({
            errors: [
              { path: '', message: 'missing or wrong token; send "Authorization: Bearer <OPS_TOKEN>"' },
            ],
          });
      });
    }
    ops.get('/metrics', async (_request, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });
    registerSchedulesRoute(ops, deps);
    registerConnectorsRoute(ops, deps);
  });
}

# Pulse's production image: `docker build -t pulse .` (see docs/deploy.md).
# Node 22 is the current LTS; the code also runs on Node 20.19+.
ARG NODE_IMAGE=node:22-bookworm-slim

# Compiles src/, sandbox/ and demo/ into dist/ (TypeScript is a dev dependency, needed only here).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY sandbox ./sandbox
COPY demo ./demo
RUN npm run build

# Production dependencies only, installed apart so the final stage carries no compiler or test tools.
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    PULSE_DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
# dist/src/db/migrate.js reads migrations/ beside dist/.
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
# The embedded database's folder, owned by the unprivileged user the image runs as ("node", uid 1000).
# Unused with DATABASE_URL (a PostgreSQL server).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch asks /healthz (200 while the database answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1, not npm: SIGTERM reaches Pulse, which finishes the outbox round in flight,
# releases its schedules and the database, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]

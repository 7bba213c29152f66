# The sync's image: the worker by default; docker-compose.yml also runs the migrations, the CLI
# (`docker compose run --rm cli <command>`), the demo seed and the Mailchimp emulator from it.
# TypeScript runs through tsx, as in development; the workflow code is bundled here, at build time.
#
#   build      all dependencies and the sources; bundles workflows/ into dist/workflow-bundle.js
#   prod-deps  production dependencies only (npm ci --omit=dev)
#   runtime    prod-deps + the application folders + the bundle; no tests, bench, docs or screenshots

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY . .
RUN npx tsx workers/bundle.ts /app/dist/workflow-bundle.js

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Installed as root and left root-owned: the application cannot modify its own code or modules.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY activities ./activities
COPY bin ./bin
COPY client ./client
COPY config ./config
COPY db ./db
COPY emulator ./emulator
COPY mailchimp ./mailchimp
COPY mapping ./mapping
COPY observability ./observability
COPY scripts ./scripts
COPY services ./services
COPY source ./source
COPY util ./util
COPY webhooks ./webhooks
COPY wiring ./wiring
COPY workers ./workers
COPY workflows ./workflows
# The worker loads this instead of bundling workflows/ at every start (workers/bundle.ts).
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js

# The only writable place in /app (the emulator's state file; a volume in docker-compose.yml).
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 4020 9464
# Healthy while the worker runs and Temporal answers on its connection (GET /healthz, workers/health.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "worker"]

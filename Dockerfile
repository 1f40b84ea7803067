# syntax=docker/dockerfile:1
# Ghostwire relay + PWA. Build: `docker build -t ghostwire .`; run: see compose.yaml
# and docs/self-hosting.md. tests/integration/ops-container.test.ts lints this file
# and runs its CMD and HEALTHCHECK outside Docker the way the runtime stage lays them out.
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Production dependencies only: what the relay imports at run time, nothing else.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 2. Build: every dependency, then the PWA (vite) and the relay bundle (esbuild).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 3. Runtime: node, production node_modules, package.json (ESM "type") and dist/.
# Files stay owned by root and the process runs as `node`, so the relay cannot
# rewrite its own code; it writes nothing at all, so `read_only: true` works
# (a tmpfs on /tmp is all it could ever want).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# SIGTERM starts the drain: /ready turns 503, sockets close with 1001 "reconnect
# elsewhere", and the process exits 0 within SHUTDOWN_TIMEOUT_MS (5 s) plus a
# margin, under Docker's default 10 s stop timeout.
STOPSIGNAL SIGTERM
# Liveness only (/live): a Redis outage must not get every replica restarted.
# Readiness (/ready) is for the load balancer. https when built-in TLS is on.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require(process.env.TLS_CERT?'https':'http').get({host:'127.0.0.1',port:process.env.PORT||8080,path:'/live',rejectUnauthorized:false,timeout:2500},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
CMD ["node", "dist/relay/main.js"]

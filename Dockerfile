# Accord api and worker image (one image, two commands). Cluster mode: see docker-compose.yml and
# docs/operations.md. Node 22 LTS on Debian 12 (bookworm), pinned to a patch release; bump it deliberately.

FROM node:22.22.0-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these let it compile from source when none matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Exactly the lock: fails if package.json and package-lock.json disagree.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY bench ./bench
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM node:22.22.0-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/accord
WORKDIR /app
# Owned by root and read-only to the process: only DATA_DIR is writable by it.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The node's own state: read.db (disposable) and, in embedded mode, events.db, objects/ and secret.
RUN mkdir -p /var/lib/accord && chown node:node /var/lib/accord && chmod 700 /var/lib/accord
# The image's unprivileged `node` user (uid 1000), never root.
USER node
VOLUME /var/lib/accord
EXPOSE 3000
# The api; the worker overrides this with `node dist/apps/worker/src/main.js`.
CMD ["node", "dist/apps/api/src/main.js"]

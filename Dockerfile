# Accord api and worker image (one image, two commands). Cluster mode: see docker-compose.yml and
# docs/operations.md.

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these let it compile from source when none matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY bench ./bench
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/accord
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The node's own state: read.db (disposable) and, in embedded mode, events.db, objects/ and secret.
RUN mkdir -p /var/lib/accord && chown node:node /var/lib/accord && chmod 700 /var/lib/accord
USER node
VOLUME /var/lib/accord
EXPOSE 3000
# The api; the worker overrides this with `node dist/apps/worker/src/main.js`.
CMD ["node", "dist/apps/api/src/main.js"]

# The platform's image: the API (`services/main.ts`) and the worker (`workers/main.ts`) run
# from it with different commands (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile cannot list chDB's macOS builds (the registry this
# project is built against lacks them), so `npm ci` refuses it as out of sync; `npm install`
# still installs the locked versions (README "The two commands", .ci/run).
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY services ./services
COPY workers ./workers
COPY sql ./sql
COPY dashboards ./dashboards
USER node
EXPOSE 8080
# node directly (not npm), so SIGTERM reaches the process and it drains and exits cleanly. The
# API keeps Node's default young generation (docs/ingest.md); docker-compose.yml gives the
# worker its own command.
CMD ["node", "--import", "tsx", "services/main.ts"]

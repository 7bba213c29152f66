# The sync's image: the worker by default; docker-compose.yml also runs the migrations and the
# Mailchimp emulator from it. TypeScript runs through tsx, as in development.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so that a source change does not reinstall them. Installed as root and
# left root-owned: the application cannot modify its own code or modules.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

# The only writable place in /app (the emulator's state file; a volume in docker-compose.yml).
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production
USER node

EXPOSE 4020 9464
CMD ["npm", "run", "worker"]

# Build stage: compile the TypeScript in src/ to dist/.
FROM node:20-slim AS build

WORKDIR /app

# The prepare script would compile before the sources are copied in, so the
# install skips scripts and the build is its own step. No dependency has an
# install script of its own.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and the compiled code only.
FROM node:20-slim

ENV NODE_ENV=production

WORKDIR /app

# --ignore-scripts: prepare compiles with tsc, a dev dependency not installed here.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY dashboard ./dashboard
COPY fixtures ./fixtures
COPY scenarios ./scenarios
COPY schema ./schema

# The emulator's own files (the order journal, a generated certificate) go in
# .cabinet-emu under the working directory, which root owns: the folder is
# made for the user the emulator runs as. A volume there keeps the orders
# when the container is replaced.
RUN mkdir .cabinet-emu && chown node:node .cabinet-emu
VOLUME /app/.cabinet-emu

USER node

EXPOSE 8080

CMD ["node", "bin/cabinet-emu.js", "serve", "--host", "0.0.0.0", "--port", "8080"]

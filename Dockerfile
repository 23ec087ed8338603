# One image for every service of the hub; the command picks the service.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
COPY schema ./schema
COPY data ./data
USER node
CMD ["npm", "run", "gateway"]

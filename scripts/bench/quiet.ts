/**
 * Imported first by the benchmark scripts: request logs at `info` (one JSON line per request and
 * subgraph fetch) would measure stdout, not routing. HUB_LOG_LEVEL=info npm run bench keeps them.
 */
process.env.HUB_LOG_LEVEL ??= 'warn';

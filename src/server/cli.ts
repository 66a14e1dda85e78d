/* eslint-disable no-console -- the CLI is the one place that prints */
import { parseArgs } from 'node:util';
import type { Logger } from '../core/logger';
import { builtInScenarios, startLocalServer } from './index';

const usage = `Usage: npm run server -- [options]

Starts a local RunTools-compatible server on 127.0.0.1 with the demo agent (slug "demo").

Options:
  --port <n>          port to listen on (default: a free port)
  --key <key>         the API key clients must send (default: a generated one)
  --open              accept any API key, or none
  --delay-scale <x>   pacing of the demo agent and scenarios (default 1; 0 = no delays)
  --no-resumption     no event ids, thread events or run-stream socket: only GET /v1/run/{id}
  --json              print {"baseUrl","apiKey"} as one JSON line instead of the text banner
  --verbose           log every request
  --help              show this help
`;

function consoleLogger(verbose: boolean): Logger {
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  return {
    trace: () => {},
    debug: (message, ...args) => { if (verbose) console.error(stamp(), 'debug', message, ...args); },
    info: (message, ...args) => console.error(stamp(), 'info', message, ...args),
    warn: (message, ...args) => console.error(stamp(), 'warn', message, ...args),
    error: (message, ...args) => console.error(stamp(), 'error', message, ...args),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      key: { type: 'string' },
      open: { type: 'boolean', default: false },
      'delay-scale': { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-resumption': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const delayScale = values['delay-scale'] === undefined ? 1 : Number(values['delay-scale']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  if (!Number.isFinite(delayScale) || delayScale < 0) throw new Error(`--delay-scale must be a number >= 0, got ${values['delay-scale']}`);
  if (values.open && values.key) throw new Error('--open and --key exclude each other');

  const server = await startLocalServer({
    port,
    apiKey: values.key,
    open: values.open,
    delayScale,
    resumption: values['no-resumption'] ? { eventIds: false, threadEvents: false, runStream: false } : undefined,
    logger: consoleLogger(values.verbose),
  });

  if (values.json) {
    console.log(JSON.stringify({ baseUrl: server.baseUrl, apiKey: server.apiKey ?? null }));
  } else {
    console.log(`RunTools local server listening on ${server.baseUrl}`);
    console.log(server.apiKey ? `API key: ${server.apiKey}` : 'Open mode: any API key (or none) is accepted');
    console.log('');
    console.log(`  RUNTOOLS_API_URL=${server.baseUrl}`);
    if (server.apiKey) console.log(`  RUNTOOLS_API_KEY=${server.apiKey}`);
    console.log('');
    console.log(`Agent slug: demo. Scenarios (params.scenario): ${Object.keys(builtInScenarios).join(', ')}`);
    console.log('Press Ctrl+C to stop.');
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping...`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

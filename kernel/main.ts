/**
 * Entry point of the TicketLab kernel (the kernelspec runs `node dist/kernel/main.js
 * --config-path {connection_file}`): installs the `ticketlab` module aliases, starts the
 * backend selection, then serves Jupyter on the connection file's sockets.
 */
import path from 'path';
import { installModuleAliases, findRepoRoot } from './module-alias';
import { startBackend } from './startup-backend';
import { TicketLabServer } from './server';

function parseArgs(argv: string[]): string {
  const i = argv.indexOf('--config-path');
  const file = i >= 0 ? argv[i + 1] : argv.find((a) => a.endsWith('.json'));
  if (!file) {
    process.stderr.write('usage: node dist/kernel/main.js --config-path <connection_file.json>\n');
    process.exit(2);
  }
  return file;
}

/** Starts the kernel. */
export function main(argv: string[] = process.argv.slice(2)): TicketLabServer {
  const configPath = parseArgs(argv);
  const root = findRepoRoot();
  installModuleAliases(path.join(__dirname, 'api' + path.extname(__filename)), root);
  const version = (require(path.join(root, 'package.json')) as { version: string }).version;
  const tslabVersion = (require('tslab/package.json') as { version: string }).version;
  let backendLine = 'TicketLab backend: selecting…';
  const startup = startBackend().then((line) => (backendLine = line));
  const server = new TicketLabServer({
    configPath,
    version,
    startupMessage: startup,
    interruptGraceMs: Number(process.env['TICKETLAB_INTERRUPT_GRACE_MS'] ?? 2000),
    banner: () => `TicketLab ${version} (TypeScript) on tslab ${tslabVersion}, Node ${process.version}\n${backendLine}`,
  });
  void server.init().catch((e: unknown) => {
    server.log(`could not bind sockets: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
  return server;
}

if (require.main === module) main();

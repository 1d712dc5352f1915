#!/usr/bin/env node
import { main } from './cli.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nondevice: interrupted\n');
  process.exit(130);
});
const status = await main(process.argv.slice(2));
// Worker threads and native backends may hold the event loop open; the status is final here.
process.exit(status);

#!/usr/bin/env node
// First: core switches every dependency's telemetry off in the real environment, which the
// pool's worker threads then inherit (a worker cannot do it for itself).
import { disableDependencyTelemetry } from '@ondevice/core';
import { main } from './cli.js';

disableDependencyTelemetry();

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

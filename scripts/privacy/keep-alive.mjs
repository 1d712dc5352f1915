// Preloaded into the CLI by the privacy check (node --import): process.exit waits IDLE seconds
// first, so what the CLI's worker threads and native libraries do after the last input is seen.
const idle = Number(process.env.ONDEVICE_PRIVACY_IDLE ?? '20');
const exit = process.exit.bind(process);
process.exit = (code) => {
  setTimeout(() => exit(code), idle * 1000);
  return undefined;
};

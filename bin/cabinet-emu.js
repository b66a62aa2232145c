#!/usr/bin/env node
// The command line runs from the compiled output in dist/, which
// `npm install` builds; `npm run build` rebuilds it after source changes.
let cli;

try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  console.error(
    'cabinet-emu: the compiled code is missing; run `npm run build` in the cabinet-emulator folder first',
  );
  process.exit(1);
}

await cli.main(process.argv);

// Loaded into every server child, Mockoon's too (with `node --import`), so
// that each reports its own CPU time and peak memory the same way, measured
// inside the process rather than guessed from outside.
import process from 'node:process';
import type { UsageReport } from './messages.js';

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'usage') {
    const report: UsageReport = {
      type: 'usage',
      cpu: process.cpuUsage(),
      maxRssKb: process.resourceUsage().maxRSS,
    };

    process.send?.(report);
  }
  if (message?.type === 'exit') process.exit(0);
});

// The parent holds the IPC channel open; without this a server that has
// nothing else to do would still stay, but one that has would never notice
// that the bench is gone.
process.on('disconnect', () => process.exit(0));

import { existsSync } from 'node:fs';
import { OrderBook, type KeptOrder } from '../cabinet/order-book.js';
import { readJournal } from '../journal/order-journal.js';
import { escapeControlCharacters } from '../protocol/device-number.js';
import { formatChinaDateTime } from '../time/china-time.js';

export interface OrdersCommandOptions {
  journal: string;
  json?: boolean;
}

export interface OrdersListing {
  /** What goes to standard output. */
  text: string;
  /** One line per journal line that was not read back. */
  warnings: string[];
}

const HEADINGS = ['time', 'tradeNo', 'device', 'amount', 'payment'] as const;

/**
 * `cabinet-emu orders`: the journal's orders as a table, oldest first, or
 * its lines as stored (`--json`). Throws `JournalError` when the journal
 * cannot be read.
 */
export function listOrders({
  journal,
  json = false,
}: OrdersCommandOptions): OrdersListing {
  // Before the first order, serve has not written the journal yet.
  if (!existsSync(journal)) {
    return {
      text: json ? '' : 'no orders\n',
      warnings: [
        `no journal at ${journal} yet; serve writes it with its first order`,
      ],
    };
  }

  const contents = readJournal(journal);
  const book = new OrderBook({ limit: Number.POSITIVE_INFINITY });
  const orphans = book.restore(contents.lines);
  const warnings = [
    ...contents.skipped.map(
      ({ line, reason }) => `${journal}:${line}: skipped: ${reason}`,
    ),
    ...orphans.map(
      ({ line }) =>
        `${journal}:${line}: skipped: payment of an order the journal does not hold`,
    ),
  ];

  if (json) {
    return {
      text: contents.lines.map(({ text }) => `${text}\n`).join(''),
      warnings,
    };
  }

  const orders = book.list();

  if (orders.length === 0) return { text: 'no orders\n', warnings };

  const rows = orders.map((kept) => [
    kept.order.createTime,
    kept.order.tradeNo,
    // Device numbers come from whoever connects: an escape sequence in one
    // (from a journal older than the check on them) is shown, not obeyed.
    escapeControlCharacters(kept.order.deviceNo),
    kept.order.amount,
    payment(kept),
  ]);

  return { text: formatTable([[...HEADINGS], ...rows]), warnings };
}

function payment({ order, paidAt }: KeptOrder): string {
  if (order.isCreditPay === '1') return 'password-free';

  return paidAt === undefined
    ? 'unpaid'
    : `paid ${formatChinaDateTime(paidAt)}`;
}

// Columns padded to their widest cell; amounts line up on the right.
function formatTable(rows: readonly string[][]): string {
  const widths = HEADINGS.map((_, column) =>
    Math.max(...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const amountColumn = HEADINGS.indexOf('amount');

  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const width = widths[column] ?? 0;

          return column === amountColumn
            ? cell.padStart(width)
            : cell.padEnd(width);
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { KeptOrder, OrderBook } from '../cabinet/order-book.js';
import { PAYMENT_PAGE_PREFIX } from '../cabinet/order.js';
import { formatChinaDateTime } from '../time/china-time.js';
import type { Clock } from '../time/clock.js';
import { sendErrorAnswer } from './error-answer.js';

/**
 * The page an order paid by hand points to (`orderInfo`). A real cloud sends
 * the shopper to a payment provider; the emulator's page shows the order and
 * takes a pretend payment: `GET` shows it (HTML to a browser, JSON to
 * anything else), `POST` pays it.
 */
export function registerPaymentRoute(
  app: FastifyInstance,
  orders: OrderBook,
  clock: Clock,
): void {
  // A plugin of its own, so that the form parser below applies to these
  // routes only.
  void app.register(async (scope) => {
    const url = `${PAYMENT_PAGE_PREFIX}:tradeNo`;

    // The page's form posts as a browser does, urlencoded; the body carries
    // nothing the payment needs, so it is read and let go.
    scope.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'multipart/form-data'],
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, undefined),
    );

    scope.get<{ Params: { tradeNo: string } }>(url, async (request, reply) => {
      const kept = orders.find(request.params.tradeNo);

      if (!kept) return noSuchOrder(reply, request.params.tradeNo);

      return wantsHtml(request.headers.accept)
        ? reply.type('text/html; charset=utf-8').send(paymentPage(kept))
        : reply.send(describe(kept));
    });

    scope.post<{ Params: { tradeNo: string } }>(url, async (request, reply) => {
      const { tradeNo } = request.params;
      const kept = orders.find(tradeNo);

      if (!kept) return noSuchOrder(reply, tradeNo);
      if (!orders.markPaid(tradeNo, clock.now())) {
        return sendErrorAnswer(
          reply,
          409,
          kept.order.isCreditPay === '1'
            ? `order ${tradeNo} was paid password-free; there is nothing to pay`
            : `order ${tradeNo} is paid already`,
        );
      }

      // A browser's form post comes back to the page; an API client gets JSON.
      return wantsHtml(request.headers.accept)
        ? reply.redirect(PAYMENT_PAGE_PREFIX + tradeNo, 303)
        : reply.send(describe(kept));
    });
  });
}

function noSuchOrder(reply: FastifyReply, tradeNo: string) {
  return sendErrorAnswer(
    reply,
    404,
    `no order with tradeNo ${JSON.stringify(tradeNo)}`,
  );
}

function wantsHtml(accept: string | undefined): boolean {
  return accept?.includes('text/html') ?? false;
}

function describe({ order, paidAt }: KeptOrder) {
  const creditPay = order.isCreditPay === '1';

  return {
    tradeNo: order.tradeNo,
    deviceNo: order.deviceNo,
    createTime: order.createTime,
    amount: order.amount,
    paymentMode: creditPay ? 'password-free' : 'manual',
    paid: creditPay || paidAt !== undefined,
    paidTime: paidAt === undefined ? undefined : formatChinaDateTime(paidAt),
    lines: order.lines.map((line) => ({
      aisleId: line.aisleId,
      name: line.name,
      quantity: line.quantity,
      quantityUnit: line.quantityUnit,
      amount: line.amount,
    })),
  };
}

function paymentPage(kept: KeptOrder): string {
  const order = describe(kept);
  const rows = order.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.name)}</td><td>${line.quantity} ${line.quantityUnit}</td><td>¥${line.amount}</td></tr>`,
    )
    .join('');
  const action = order.paid
    ? `<p class="paid">已支付 paid${order.paidTime ? ` ${order.paidTime}` : ''}</p>`
    : `<form method="post"><button>支付 ¥${order.amount} (pretend)</button></form>`;

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>订单 ${order.tradeNo}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
table{width:100%;border-collapse:collapse}td{padding:.3rem 0;border-bottom:1px solid #ddd}
td:last-child{text-align:right}.paid{color:#080}button{font-size:1.1rem;padding:.6rem 1.2rem}</style>
</head><body>
<h1>订单 ${order.tradeNo}</h1>
<p>cabinet ${escapeHtml(order.deviceNo)} · ${order.createTime}</p>
<table>${rows}</table>
<p><strong>合计 ¥${order.amount}</strong></p>
${action}
<p><small>cabinet-emulator: no money moves here.</small></p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        char
      ]!,
  );
}

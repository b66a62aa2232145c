// The frames of the current session as they arrive, and the basket and
// order they describe, read the way the mini program reads them.

const $ = (id) => document.getElementById(id);

let startedAt = 0;

function element(tag, className, text) {
  const node = document.createElement(tag);

  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Empties the list for a new session; `source` says whose frames follow. */
export function resetFrames(source) {
  startedAt = performance.now();
  $('frames').replaceChildren();
  $('frames-source').textContent = source;
  $('basket').replaceChildren('Nothing taken.');
  $('order').hidden = true;
  $('order').replaceChildren();
}

/** Shows one frame as received, byte for byte, and what it means. */
export function showFrame(text) {
  let frame;

  try {
    frame = JSON.parse(text);
  } catch {
    frame = { type: 'unreadable' };
  }

  const item = element('li', 'frame');
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

  item.dataset.type = frame.type;
  item.append(
    element('span', 'frame-time', `+${seconds} s`),
    element('span', `frame-type type-${frame.type}`, frame.type),
    element('code', 'frame-text', text),
  );
  $('frames').append(item);
  item.scrollIntoView({ block: 'nearest' });

  if (frame.type === 'update') showBasket(frame.data);
  if (frame.type === 'final') showFinal(frame.data);
  if (frame.type === 'failure') showFailure(frame.msg);
}

/** Notes the socket's end in the list. */
export function showClose(code, reason) {
  const item = element('li', 'frame closed');

  item.dataset.type = 'close';
  item.append(
    element('span', 'frame-time', ''),
    element('span', 'frame-type', 'closed'),
    element('code', 'frame-text', `${code} ${reason}`),
  );
  $('frames').append(item);
}

function showBasket(data) {
  const list = data.list ?? [];

  if (list.length === 0) {
    $('basket').replaceChildren('Nothing taken.');
    return;
  }

  const table = element('table');

  for (const line of list) {
    const row = element('tr');

    row.append(
      element('td', undefined, line.name),
      element('td', 'num', `${line.quantity} ${line.quantityUnit}`),
      element('td', 'num', `¥${line.amount.toFixed(2)}`),
    );
    table.append(row);
  }

  const total = element('tr', 'total');

  total.append(
    element('td', undefined, 'Total'),
    element('td'),
    element('td', 'num', `¥${data.amount.toFixed(2)}`),
  );
  table.append(total);
  $('basket').replaceChildren(table);
}

function showFinal(data) {
  const order = $('order');

  order.hidden = false;
  if (!data.tradeNo) {
    order.replaceChildren('Door opened, nothing bought (开门无购物).');
    return;
  }
  showBasket(data);
  order.replaceChildren(
    element('strong', undefined, `Order ${data.tradeNo}`),
    element(
      'span',
      undefined,
      ` · ¥${data.amount.toFixed(2)} · ${data.createTime} · ${data.isCreditPay === '1' ? 'paid password-free' : 'to be paid'}`,
    ),
  );
}

function showFailure(message) {
  const order = $('order');

  order.hidden = false;
  order.replaceChildren(
    element('strong', 'failed', 'Failed'),
    element('span', undefined, ` · ${message || '(no reason given)'}`),
  );
}

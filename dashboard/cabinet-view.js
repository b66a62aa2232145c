// Draws one cabinet: its shelves of aisles with pictures, stock and live
// scale readings, its door and lock, its alarms and anomalies.

const $ = (id) => document.getElementById(id);

const DOOR_WORDS = {
  locked: 'locked',
  unlocking: 'unlocking…',
  unlocked: 'unlocked',
  open: 'open',
  closed: 'closed',
};

function element(tag, className, text) {
  const node = document.createElement(tag);

  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const unitOf = (product) => (product.pricing === 'weighed' ? 'g' : '件');

function priceText(product) {
  const unit = product.pricing === 'weighed' ? '元/斤' : '元/件';

  return `${Number(product.price).toFixed(2)} ${unit}`;
}

/**
 * Draws the cabinet `state` (the control API's view of one device).
 * `selected` is the aisle picked for the shopper's hands; `onPick(aisle)` is
 * called when a person clicks one.
 */
export function renderCabinet(state, selected, onPick) {
  $('cabinet-name').textContent = `${state.deviceNo} · ${state.fixture}`;
  $('cabinet-name').title = state.description ?? '';
  renderDoor(state.door);
  renderShelves(state.aisles, selected, onPick);
  renderAlarms(state.alarms ?? []);
  renderAnomalies(state.anomalies ?? [], state.aisles);
}

export function renderDoor(door) {
  const word = DOOR_WORDS[door] ?? door;

  $('lock').dataset.state = door;
  $('lock').textContent = word;
  $('door').dataset.state = door;
}

function renderShelves(aisles, selected, onPick) {
  const shelves = new Map();

  for (const aisle of aisles) {
    if (!shelves.has(aisle.shelf)) shelves.set(aisle.shelf, []);
    shelves.get(aisle.shelf).push(aisle);
  }

  const rows = [...shelves.entries()]
    .sort(([a], [b]) => a - b)
    .map(([shelf, onShelf]) => {
      const row = element('div', 'shelf');

      row.dataset.shelf = String(shelf);
      row.append(element('span', 'shelf-label', `Shelf ${shelf}`));
      for (const aisle of onShelf)
        row.append(aisleTile(aisle, selected, onPick));
      return row;
    });

  $('shelves').replaceChildren(...rows);
}

function aisleTile(aisle, selected, onPick) {
  const { product } = aisle;
  const tile = element('button', 'aisle');
  const picture = element('img');

  tile.type = 'button';
  tile.dataset.aisleId = String(aisle.aisleId);
  tile.setAttribute('aria-pressed', String(aisle.aisleId === selected));
  tile.title = `${product.name} (${product.typeName}), aisle ${aisle.aisleId}`;
  picture.src = product.imageUrl;
  picture.alt = '';
  tile.append(
    picture,
    element('span', 'aisle-name', product.name),
    element('span', 'aisle-price', priceText(product)),
    element('span', 'aisle-stock', `stock ${aisle.stock} ${unitOf(product)}`),
    liveReading(aisle),
    element('span', 'aisle-id', `#${aisle.aisleId}`),
  );
  tile.addEventListener('click', () => onPick(aisle));
  return tile;
}

function liveReading(aisle) {
  const reading = element('span', 'aisle-live');

  reading.dataset.live = String(aisle.aisleId);
  reading.textContent = gramsText(aisle.liveGrams);
  return reading;
}

const gramsText = (grams) =>
  typeof grams === 'number' && Number.isFinite(grams)
    ? `scale ${grams} g`
    : 'scale —';

/** Updates the scale readings alone, as they stream in. */
export function renderWeights(aisles) {
  for (const { aisleId, liveGrams } of aisles) {
    const reading = document.querySelector(`[data-live="${aisleId}"]`);

    if (reading) reading.textContent = gramsText(liveGrams);
  }
}

function renderAlarms(alarms) {
  const last = alarms.at(-1);

  $('alarm').hidden = !last;
  if (last) {
    $('alarm').textContent =
      `Alarm: the door has been open ${Math.round(last.openForMs / 1000)} s`;
  }
}

function renderAnomalies(anomalies, aisles) {
  const names = new Map(aisles.map((a) => [a.aisleId, a.product.name]));
  const items = anomalies.map((anomaly) => {
    // The firmware measures to a tenth of a gram; people read whole grams.
    const grams = Math.round(anomaly.grams);

    return element(
      'li',
      undefined,
      `aisle ${anomaly.aisleId} (${names.get(anomaly.aisleId) ?? '?'}): ${anomaly.kind}, ${grams} g, not charged`,
    );
  });

  if (items.length === 0) items.push(element('li', 'empty', 'None.'));
  $('anomalies').replaceChildren(...items);
}

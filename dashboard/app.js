// The dashboard: one cabinet drawn from the control API, steered through
// its actions, and a purchase the page runs itself as the mini program.

import * as api from './api.js';
import { renderCabinet, renderDoor, renderWeights } from './cabinet-view.js';
import { resetFrames, showClose, showFrame } from './frames-view.js';
import { startPurchase } from './purchase.js';

const $ = (id) => document.getElementById(id);

const DEFAULT_DEVICE = 'demo-cabinet';

// The server's own rule for device numbers: 1 to 64 characters once spaces
// around them are dropped, none of them a control character.
function deviceNoProblem(deviceNo) {
  if (deviceNo === '') return 'it is blank';
  if ([...deviceNo].length > 64) return 'it is longer than 64 characters';
  if (
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(
      deviceNo,
    )
  ) {
    return 'it holds control characters';
  }
  return undefined;
}

const askedDeviceNo = new URLSearchParams(location.search).get('deviceNo');
const askedProblem =
  askedDeviceNo === null ? undefined : deviceNoProblem(askedDeviceNo.trim());

const page = {
  deviceNo:
    askedDeviceNo === null || askedProblem
      ? DEFAULT_DEVICE
      : askedDeviceNo.trim(),
  /** Whether this emulator has the control API; unknown until asked. */
  controlApi: true,
  state: undefined,
  selected: undefined,
  /** The page's own purchase socket while it is open. */
  socket: undefined,
  /** How the page's last purchase ended, shown until the next starts. */
  lastOutcome: undefined,
  /**
   * Sessions of the page's own purchases: their frames arrive on its
   * socket, and again as events, sometimes after the socket has closed.
   */
  ownSessions: new Set(),
};

const NO_CONTROL_API =
  'This emulator has no control API (/emulator/...): you can start a purchase and watch its frames, but the cabinet cannot be drawn or steered from here.';

// Without the control API, that is the one thing worth saying.
function notice(text) {
  const shown = text ?? (page.controlApi ? undefined : NO_CONTROL_API);

  $('notice').hidden = !shown;
  $('notice').textContent = shown ?? '';
}

function status(text) {
  $('status').textContent = text;
}

function noControlApi() {
  if (!page.controlApi) return;

  page.controlApi = false;
  document.body.classList.add('no-control-api');
  notice(undefined);
}

// A control API call that reports its refusal on the page instead of
// throwing; a 404 means the API is not there at all.
async function control(call) {
  if (!page.controlApi) return undefined;
  try {
    return await call();
  } catch (err) {
    if (
      err instanceof api.ApiError &&
      err.status === 404 &&
      err.message.startsWith('no route for')
    ) {
      noControlApi();
    } else {
      notice(err.message);
    }
    return undefined;
  }
}

async function loadCabinets() {
  const answer = await control(() => api.listCabinets());
  const deviceNos = answer?.cabinets.map((c) => c.deviceNo) ?? [];

  if (!deviceNos.includes(page.deviceNo)) deviceNos.unshift(page.deviceNo);
  $('cabinet').replaceChildren(
    ...deviceNos.map((deviceNo) => new Option(deviceNo, deviceNo)),
  );
  $('cabinet').value = page.deviceNo;
}

async function loadScenarios() {
  const { scenarios } = await api.listScenarios();

  $('scenario').replaceChildren(
    ...scenarios.map(({ name, description }) => {
      const option = new Option(name, name);

      option.title = description;
      return option;
    }),
  );
  $('scenario').value = 'manual';
}

async function loadPurchaseAddress() {
  const query = encodeURIComponent(page.deviceNo);
  const { url, reachableFromLan } = await api.purchaseAddress(page.deviceNo);

  $('qr').src = `/dashboard/qr.svg?deviceNo=${query}`;
  $('purchase-url').textContent = url;
  $('purchase-url-note').textContent = reachableFromLan
    ? ''
    : ' (a loopback address: start the emulator with --host 0.0.0.0 to let a phone in)';
}

let refreshing;

// Events come in bursts; one fetch answers a burst.
function refresh() {
  refreshing ??= new Promise((resolve) => setTimeout(resolve, 50))
    .then(() => control(() => api.getCabinet(page.deviceNo)))
    .then((state) => {
      refreshing = undefined;
      if (state) show(state);
    });
}

function show(state) {
  page.state = state;
  renderCabinet(state, page.selected?.aisleId, pick);
  if (page.selected) {
    pick(state.aisles.find((a) => a.aisleId === page.selected.aisleId));
  }
  if (!page.socket) {
    // How the page's last purchase ended stays shown until another starts.
    if (state.session) page.lastOutcome = undefined;
    status(
      state.session
        ? `Purchase running (${state.session.scenario})`
        : (page.lastOutcome ?? 'Idle'),
    );
    // One shopper at a time: another's purchase keeps Start off.
    $('start').disabled = Boolean(state.session);
  }
}

function pick(aisle) {
  if (!aisle) return;

  const weighed = aisle.product.pricing === 'weighed';
  const changed = page.selected?.aisleId !== aisle.aisleId;

  page.selected = aisle;
  $('aisle-controls').disabled = false;
  $('aisle-legend').textContent =
    `Aisle ${aisle.aisleId}: ${aisle.product.name}`;
  $('quantity-unit').textContent = weighed ? 'g' : '件';
  if (changed) $('quantity').value = weighed ? '100' : '1';
  for (const tile of document.querySelectorAll('.aisle')) {
    tile.setAttribute(
      'aria-pressed',
      String(tile.dataset.aisleId === String(aisle.aisleId)),
    );
  }
}

async function act(step) {
  notice(undefined);

  const state = await control(() => api.act(page.deviceNo, step));

  if (state?.aisles) show(state);
}

// How much the shopper's hands move, in the grammar of scenario files.
function amount() {
  const value = Math.max(1, Math.round(Number($('quantity').value) || 1));

  return page.selected.product.pricing === 'weighed'
    ? { grams: value }
    : { count: value };
}

// What gives the device back the scenario it has now, or undefined when the
// page's choice is that scenario already and nothing needs changing.
function scenarioRestorer(deviceNo, chosen, current) {
  if (!current || current.scenario === chosen) return undefined;
  return (options) =>
    control(() =>
      current.scenarioAssigned
        ? api.assignScenario(deviceNo, current.scenario, options)
        : api.unassignScenario(deviceNo, options),
    );
}

async function start() {
  if (page.socket) return;

  const { deviceNo } = page;
  const scenario = $('scenario').value;

  notice(undefined);
  $('start').disabled = true;

  const current = await control(() => api.getCabinet(deviceNo));

  // The control API is there but did not answer (the notice says why): the
  // chosen scenario could not be set, so no purchase starts without it.
  if (page.controlApi && !current) {
    $('start').disabled = false;
    return;
  }
  if (current?.session) {
    // The cloud would answer a second shopper with a busy failure; say so
    // here, and let the running purchase's frames show.
    notice(
      `A purchase is running at ${deviceNo} already (${current.session.scenario}); start one when it is over.`,
    );
    show(current);
    return;
  }

  // The chosen scenario is for this purchase only: the device gets its own
  // back as soon as the purchase has started, or when the page goes away
  // before it has (also while the choice is still being made), so that no
  // later shopper (a phone) plays it.
  const restore = scenarioRestorer(deviceNo, scenario, current);
  let restored = false;
  const restoreOnce = (options) => {
    if (restored || !restore) return;
    restored = true;
    window.removeEventListener('pagehide', restoreOnLeaving);
    void restore(options).then(refresh);
  };
  const restoreOnLeaving = () => restoreOnce({ keepalive: true });

  if (restore) {
    window.addEventListener('pagehide', restoreOnLeaving);
    if (!(await control(() => api.assignScenario(deviceNo, scenario)))) {
      window.removeEventListener('pagehide', restoreOnLeaving);
      $('start').disabled = false;
      return;
    }
  }

  // A minted token passes an emulator started with --strict-tokens; any
  // token does otherwise.
  const minted = await control(() => api.mintToken());
  const token =
    minted?.token ?? `dashboard-${Math.random().toString(36).slice(2, 10)}`;

  resetFrames(`received by this page (scenario ${scenario})`);
  page.lastOutcome = undefined;
  status('Connecting…');
  page.socket = startPurchase(deviceNo, token, {
    onOpen: () => {
      // The server answers the handshake once the session has started,
      // with its scenario: the device's own may come back now.
      restoreOnce();
      status(`Purchase running (${scenario})`);
    },
    onFrame: (text) => {
      showFrame(text);
      const { type } = JSON.parse(text);

      if (type === 'door') status('Door unlocked: open it, take goods');
      if (type === 'final') page.lastOutcome = 'Finished: order made';
      if (type === 'failure') page.lastOutcome = 'Finished: failure';
      if (page.lastOutcome) status(page.lastOutcome);
    },
    onClose: (code, reason) => {
      restoreOnce();
      showClose(code, reason);
      page.socket = undefined;
      $('start').disabled = Boolean(page.state?.session);
      refresh();
    },
  });
}

// A lock jams only before it opens, which takes under a second: while a
// purchase is unlocking, jam it now; otherwise have the next purchase play
// the jammed-lock scenario.
function jamLock() {
  if (page.socket || page.state?.session) {
    void act('jam-lock');
    return;
  }
  $('scenario').value = 'jammed-lock';
  notice(
    'The next purchase plays the jammed-lock scenario: the lock never opens and the cloud sends a failure. Press Start purchase.',
  );
}

function onEvent(name, data) {
  if (data.deviceNo !== undefined && data.deviceNo !== page.deviceNo) return;

  switch (name) {
    case 'weights':
      renderWeights(data.aisles);
      return;
    case 'door':
      renderDoor(data.state);
      // The page's own purchase: say what the shopper may do now (the
      // manual scenario opens the door by itself).
      if (page.socket && !page.lastOutcome && data.state === 'open') {
        status('Door open: take goods, then close the door');
      }
      refresh();
      return;
    case 'session-started':
      // A purchase someone else started (a phone): show its frames.
      if (page.socket) page.ownSessions.add(data.id);
      else resetFrames('sent to a shopper elsewhere');
      refresh();
      return;
    case 'frame':
      if (!page.socket && !page.ownSessions.has(data.sessionId)) {
        showFrame(
          typeof data.frame === 'string'
            ? data.frame
            : JSON.stringify(data.frame),
        );
      }
      return;
    default:
      refresh();
  }
}

function changeCabinet(deviceNo) {
  page.deviceNo = deviceNo;
  page.selected = undefined;
  page.state = undefined;
  $('aisle-controls').disabled = true;
  $('aisle-legend').textContent = 'Click an aisle';
  history.replaceState(null, '', `?deviceNo=${encodeURIComponent(deviceNo)}`);
  void loadPurchaseAddress();
  refresh();
}

function wire() {
  $('start').addEventListener('click', () => void start());
  $('cabinet').addEventListener('change', (e) => changeCabinet(e.target.value));
  $('open-door').addEventListener('click', () => void act('open-door'));
  $('close-door').addEventListener('click', () => void act('close-door'));
  $('jam-lock').addEventListener('click', jamLock);
  $('refuse-order').addEventListener(
    'click',
    () => void act({ 'refuse-order': 'risk-control' }),
  );
  $('take').addEventListener(
    'click',
    () => void act({ take: { aisle: page.selected.aisleId, ...amount() } }),
  );
  $('put-back').addEventListener(
    'click',
    () =>
      void act({ 'put-back': { aisle: page.selected.aisleId, ...amount() } }),
  );
  $('place-object').addEventListener('click', () => {
    const grams = Math.max(1, Math.round(Number($('object-grams').value)));

    void act({ 'place-object': { aisle: page.selected.aisleId, grams } });
  });
  $('sensor-spike').addEventListener(
    'click',
    () =>
      void act({
        'sensor-fault': { aisle: page.selected.aisleId, fault: 'spikes' },
      }),
  );
}

// The admin token came in the address once; the server has answered with a
// cookie, so it leaves the address bar, the history and any screen share.
function forgetAdminTokenInAddress() {
  const query = new URLSearchParams(location.search);

  if (!query.has('adminToken')) return;
  query.delete('adminToken');
  const rest = query.toString();

  history.replaceState(null, '', rest ? `?${rest}` : location.pathname);
}

async function main() {
  forgetAdminTokenInAddress();
  wire();
  resetFrames('');
  if (askedProblem) {
    history.replaceState(null, '', `?deviceNo=${DEFAULT_DEVICE}`);
    notice(
      `?deviceNo=${JSON.stringify(askedDeviceNo.slice(0, 60))} is not a device number (${askedProblem}); showing ${DEFAULT_DEVICE}.`,
    );
  }
  await Promise.all([loadScenarios(), loadPurchaseAddress()]);
  await loadCabinets();
  if (page.controlApi) {
    const state = await control(() => api.getCabinet(page.deviceNo));

    if (state) show(state);
    api.followEvents(onEvent, noControlApi);
  }
  document.body.dataset.ready = 'true';
}

void main();

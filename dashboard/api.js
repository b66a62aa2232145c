// The emulator's HTTP interfaces as the page uses them: the control API
// (/emulator/...) and the dashboard's own helpers (/dashboard/...).

/** A refused request, with the server's status and message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body, { keepalive = false } = {}) {
  const response = await fetch(path, {
    method,
    keepalive,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;

  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      parsed?.message ?? `${method} ${path}: ${response.status}`,
    );
  }
  return parsed;
}

const device = (deviceNo) =>
  `/emulator/cabinets/${encodeURIComponent(deviceNo)}`;

export const listCabinets = () => call('GET', '/emulator/cabinets');

export const getCabinet = (deviceNo) => call('GET', device(deviceNo));

/** Plays one scenario step, in the scenario file grammar, now. */
export const act = (deviceNo, step) =>
  call('POST', `${device(deviceNo)}/actions`, step);

/**
 * Chooses what the next purchase at the device plays. `keepalive` lets the
 * request outlive a page that is being closed.
 */
export const assignScenario = (deviceNo, scenario, options) =>
  call('PUT', `${device(deviceNo)}/scenario`, { scenario }, options);

/** Gives the device back the scenario it started with. */
export const unassignScenario = (deviceNo, options) =>
  call('DELETE', `${device(deviceNo)}/scenario`, undefined, options);

/** A login token, as the vendor's login gives the mini program one. */
export const mintToken = () => call('POST', '/emulator/tokens', {});

export const listScenarios = () => call('GET', '/dashboard/scenarios');

export const purchaseAddress = (deviceNo) =>
  call(
    'GET',
    `/dashboard/purchase-url?deviceNo=${encodeURIComponent(deviceNo)}`,
  );

/**
 * Follows the control API's server-sent events; `onEvent(name, data)` gets
 * each one. Returns a function that stops following.
 */
export function followEvents(onEvent, onUnavailable) {
  const source = new EventSource('/emulator/events');
  const names = [
    'session-started',
    'frame',
    'door',
    'weights',
    'alarm',
    'anomaly',
    'order',
    'session-ended',
    'scenario-assigned',
  ];

  for (const name of names) {
    source.addEventListener(name, (event) => {
      onEvent(name, JSON.parse(event.data));
    });
  }
  // EventSource retries for ever; a server without the control API answers
  // 404, which it reports as an error before any open.
  let opened = false;

  source.addEventListener('open', () => {
    opened = true;
  });
  source.addEventListener('error', () => {
    if (!opened || source.readyState === EventSource.CLOSED) {
      source.close();
      onUnavailable();
    }
  });

  return () => source.close();
}

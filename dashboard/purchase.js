// The page acting as the mini program: it opens the real purchase socket,
// exactly as a phone would, and reports what arrives.

/**
 * Opens a purchase at `deviceNo` with `token`. `onFrame(text)` gets every
 * frame as received; `onClose(code, reason)` the end. Returns the socket.
 */
export function startPurchase(deviceNo, token, { onOpen, onFrame, onClose }) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = new URLSearchParams({
    token,
    deviceNo,
    appId: 'dashboard',
  });
  const socket = new WebSocket(
    `${scheme}//${location.host}/websocket/ssib/purchase?${query}`,
  );

  socket.addEventListener('open', () => onOpen());
  socket.addEventListener('message', (event) => onFrame(String(event.data)));
  socket.addEventListener('close', (event) =>
    onClose(event.code, event.reason),
  );

  return socket;
}

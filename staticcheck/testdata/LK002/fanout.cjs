// A websocket fan-out: per-connection and per-message listeners.
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws) => {
  ws.on('message', (msg) => {
    ws.on('pong', () => ws.send(msg)); // want LK002 `on every "message" event`
  });
  ws.on('close', () => {});
  wss.on('broadcast', (m) => ws.send(m)); // want LK002 "wss"
  ws.once('error', () => {
    wss.on('errors', () => {}); // want LK002 `on every "connection" event`
  });
});

// A store with its own on() method, built from an object literal.
const store = {
  listeners: [],
  on(fn) {
    this.listeners.push(fn);
  },
};

wss.on('headers', (headers) => {
  store.on(() => headers);
});

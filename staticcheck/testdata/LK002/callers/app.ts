// Calls the helpers of hooks.ts on every connection.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { subscribe, trackProgress, mirror, attachOnce, subscribeFor, listenLocal } from './hooks';

const hub = new EventEmitter();
const jobs = new EventEmitter();
const state = new EventEmitter();

createServer((socket) => {
  const send = (m: string): void => {
    socket.write(m);
  };
  subscribe(hub, send);
  trackProgress(jobs, (p) => socket.write(String(p)));
  mirror(state, socket as unknown as EventEmitter);
  attachOnce(hub, send);
  subscribeFor(hub, send, AbortSignal.timeout(1000));
  listenLocal(new EventEmitter(), send);
}).listen(9000);

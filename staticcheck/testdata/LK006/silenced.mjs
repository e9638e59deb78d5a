import { EventEmitter, setMaxListeners as setMax } from 'node:events';
import * as ev from 'events';

export const hub = new EventEmitter();
hub.setMaxListeners(1_000_000); // want LK006

EventEmitter.defaultMaxListeners = 10000; // want LK006

ev.default.defaultMaxListeners = 0; // want LK006

const controller = new AbortController();
setMax(0, controller.signal); // want LK006

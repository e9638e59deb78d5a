// A module-level emitter that other modules import.
import { EventEmitter } from 'node:events';

export const bus = new EventEmitter();

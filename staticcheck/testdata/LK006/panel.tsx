import { EventEmitter } from 'node:events';
import React from 'react';

const updates = new EventEmitter();
updates.setMaxListeners(0); // want LK006

const polite = new EventEmitter();
polite.setMaxListeners(64);

export function Panel(): JSX.Element {
  return <div>{updates.listenerCount('change') + polite.listenerCount('change')}</div>;
}

import React from 'react';
import type { WebSocket } from 'ws';

const lastPing = new Map<WebSocket, number>();
const seen = new Set<object>();

export function onPing(ws: WebSocket): void {
  lastPing.set(ws, Date.now()); // want LK007 "lastPing"
}

export function Mark({ request }: { request: Request }): JSX.Element {
  seen.add(request); // want LK007 "seen"
  return <span>{lastPing.has(ws0) ? 'live' : 'idle'}</span>;
}

declare const ws0: WebSocket;

// The chat hub: one long-lived emitter that fans every message out to the
// clients of its room, with a per-room history for late joiners.
import { EventEmitter } from 'node:events';

export interface Message {
  room: string;
  from: string;
  text: string;
  at: number;
}

export const hub = new EventEmitter();

// LEAK (LK001): the history of every room ever used, kept forever: rooms are
// named by clients, so the Map grows with every new name and every message.
const history = new Map<string, Message[]>();

export function publish(msg: Message): void {
  const past = history.get(msg.room) ?? [];
  history.set(msg.room, [...past, msg]);
  hub.emit(msg.room, msg);
}

export function historyOf(room: string): Message[] {
  return history.get(room) ?? [];
}

// Correct: the last few messages per room, bounded and dropped with the room.
const MAX_RECENT = 20;
const recent = new Map<string, Message[]>();

export function remember(msg: Message): void {
  const list = recent.get(msg.room) ?? [];
  list.push(msg);
  if (list.length > MAX_RECENT) list.shift();
  recent.set(msg.room, list);
}

export function closeRoom(room: string): void {
  recent.delete(room);
}

// TypeScript, ES module. Keys handed in from outside.
import type { Socket } from 'node:net';

const observers = new Map<Element, ResizeObserver>();
export function watchSize(element: Element): void {
  observers.set(element, new ResizeObserver(() => {})); // want LK007 "Map \"observers\""
}

const lastSeen = new Map<Socket, number>();
export function touch(peerSocket: Socket): void {
  lastSeen.set(peerSocket, Date.now()); // want LK007 "Map \"lastSeen\""
}

const states = new Map();
export function setState(node, state) {
  states.set(node, state); // want LK007 "Map \"states\""
}

const defaults = new Map();
export function withDefaults(opts) {
  defaults.set(opts, true); // want LK007 "Map \"defaults\""
}

const views = new Set();
export function show(view) {
  views.add(view); // want LK007 "Set \"views\""
}

const emitters = new Set();
export function adopt(emitter) {
  emitters.add(emitter); // want LK007 "Set \"emitters\""
}

const clicks = new Map();
export function onClick(buttonElement, fn) {
  clicks.set(buttonElement, fn); // want LK007 "Map \"clicks\""
}

class Widget {
  constructor() {
    track(this);
  }
}
const tracked = new Set();
function track(w) {
  tracked.add(w); // want LK007 "Set \"tracked\""
}
export function make(): Widget {
  return new Widget();
}

// --- not reported ---

const byName = new Map<string, Element>();
export function name(key: string, el: Element): void {
  byName.set(key, el);
  if (byName.size > 100) byName.clear();
}

const weak = new WeakMap<Element, number>();
export function mark(element: Element): void {
  weak.set(element, 1);
}

const active = new Set<Element>();
export function activate(element: Element): void {
  active.add(element);
}
export function deactivate(element: Element): void {
  active.delete(element);
}

const all = new Set();
export function addView(view) {
  all.add(view);
  if (all.size > 10) all.clear();
}

const counts = new Map<number, number>();
export function bump(n: number): void {
  counts.set(n, (counts.get(n) ?? 0) + 1);
  if (counts.size > 100) counts.clear();
}

const tags = new Map();
function tagOf(value) {
  tags.set(value, 1);
  if (tags.size > 100) tags.clear();
}
tagOf('x');

const registry = new Set();
function enroll(item) {
  registry.add(item);
  if (registry.size > 100) registry.clear();
}
enroll(42);

const loaded = new Map();
const element = { id: 'root' };
loaded.set(element, true);

// An ES module cache: filled here, evicted by the module that imports it.
export const sessions = new Map<string, { user: string }>();
export const hits = new Map<string, number>();

export function login(id: string, user: string): void {
  sessions.set(id, { user });
}

export function hit(path: string): void {
  hits.set(path, (hits.get(path) ?? 0) + 1); // want LK001 "hits"
}

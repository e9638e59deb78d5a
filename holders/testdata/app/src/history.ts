// A module-level array that only grows.
class HistoryItem {
  constructor(public id: number) {}
}

export const history: HistoryItem[] = [];

export function record(id: number): void {
  history.push(new HistoryItem(id)); // want LK101 "history.push("
}

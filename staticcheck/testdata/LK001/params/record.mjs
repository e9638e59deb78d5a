// ES module. Helpers that keep what they are given in the collection
// passed to them, and a registry other modules fill.
export function record(list, entry) {
  list.push(entry);
}

export function remember(cache, key, value) {
  cache.set(key, value);
}

export const note = (ids, id) => {
  ids.add(id);
};

export function bucket(buckets, type, entry) {
  buckets[type].unshift(entry);
}

// Keeps the newest 100 only: it removes as it adds.
export function recent(list, entry) {
  list.push(entry);
  if (list.length > 100) list.shift();
}

// Moves an item from one list to the other.
export function move(item, from, to) {
  from.splice(from.indexOf(item), 1);
  to.push(item);
}

export const registry = new Map();

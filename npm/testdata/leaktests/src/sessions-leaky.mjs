// Sessions by id; close() forgets to remove the session, so every session
// ever opened stays in the map.
const sessions = new Map();

export function open(id) {
  const session = { id, user: `user-${id}`, scopes: ['read', 'write'] };
  sessions.set(id, session);
  return session;
}

export function close(id) {
  return sessions.get(id);
}

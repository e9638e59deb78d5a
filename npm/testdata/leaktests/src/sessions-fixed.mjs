// Sessions by id; close() removes the session.
const sessions = new Map();

export function open(id) {
  const session = { id, user: `user-${id}`, scopes: ['read', 'write'] };
  sessions.set(id, session);
  return session;
}

export function close(id) {
  const session = sessions.get(id);
  sessions.delete(id);
  return session;
}

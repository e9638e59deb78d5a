'use strict';
// Caches in front of the slow parts of the service.

// LEAK (LK001): rendered profiles by user id. Every new id adds an entry and
// nothing ever removes one, so the Map grows with the number of users ever
// seen, for the life of the process.
const profiles = new Map();

function cachedProfile(id, render) {
  let body = profiles.get(id);
  if (body === undefined) {
    body = render(id);
    profiles.set(id, body);
  }
  return body;
}

// Correct: sessions are bounded; beyond MAX_SESSIONS the oldest entry (a Map
// iterates in insertion order) is evicted.
const MAX_SESSIONS = 500;
const sessions = new Map();

function touchSession(id) {
  sessions.delete(id);
  sessions.set(id, Date.now());
  if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value);
}

module.exports = { cachedProfile, touchSession };

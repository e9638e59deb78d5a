/* A browser-era utility script loaded as a classic script. */
/* global jQuery, appState */

appState = { ready: false };

lastError = null; // want LK005 "lastError"

function report(err) {
  lastError = err;
  jQuery.post('/errors', { message: err.message });
}

function cacheUser(user) {
  currentUser = user; // want LK005 "currentUser"
}

function readUser() {
  return currentUser;
}

function loop(items) {
  for (idx of items) { // want LK005 "idx"
    report(idx);
  }
}

// Declared later in the same function: hoisting makes this a local.
function later() {
  tmp = 1;
  var tmp;
  return tmp;
}

// Declared in an outer function: a closure variable, not a global.
function outer() {
  var counter = 0;
  return function inc() {
    counter = counter + 1;
    return counter;
  };
}

// Function declarations are hoisted too.
function swap() {
  helper = null;
  function helper() {}
  return helper;
}

'use strict';
// A channel's consumers: kept by tag and in the list to cancel on close,
// but cancelling forgets the list.
class Channel {
  constructor() {
    this.consumers = new Map();
    this.toCancel = [];
  }

  addConsumer(tag, fn) {
    this.consumers.set(tag, fn);
    this.toCancel.push(tag); // want LK008 "addConsumer\\(\\) puts the item in this.consumers and in this.toCancel; removeConsumer\\(\\) takes it out of this.consumers"
  }

  removeConsumer(tag) {
    this.consumers.delete(tag);
  }
}

// An element registry with an index by name.
class Elements {
  constructor() {
    this.state = { byId: new Map(), byName: new Map() };
  }

  registerElement(el) {
    this.state.byId.set(el.id, el);
    this.state.byName.set(el.name, el); // want LK008 "in this.state.byName"
  }

  unregisterElement(el) {
    this.state.byId.delete(el.id);
  }
}

module.exports = { Channel, Elements };

// One long-lived RxJS pipeline with delay(): every request pushes an event
// into a Subject and waits until it comes out of delay(1) at the
// subscriber. In 6.0.0 the scheduled action that dispatches the delayed
// values is never unsubscribed once its queue is empty, so each one stays
// in the DelaySubscriber's subscriptions with its state; 6.1.0
// unsubscribes it.
'use strict';
const { Subject } = require('rxjs');
const { delay } = require('rxjs/operators');
const serve = require('./serve');

const events = new Subject();
const delivered = new Map();
events.pipe(delay(1)).subscribe((event) => {
  delivered.get(event.id)();
  delivered.delete(event.id);
});

serve((i) => new Promise((resolve) => {
  delivered.set(i, resolve);
  events.next({ id: i, body: `event ${i}` });
}));

// A GraphQL subscription filtered with withFilter() (one subscriber who
// only wants events of one channel) while every event published goes to
// another channel. In 1.2.0 each event the filter rejects makes the
// pending next() call getNextPromise() again from inside the previous
// promise's then(), so the chain of promises grows by one link per event
// until an event passes; 1.2.1 loops inside one promise. Every step
// publishes one such event with the in-memory PubSub.
'use strict';
const { PubSub, withFilter } = require('graphql-subscriptions');
const serve = require('./serve');

const pubsub = new PubSub();
const subscribe = withFilter(
  () => pubsub.asyncIterator('MESSAGE'),
  (payload, args) => payload.channel === args.channel,
);
const subscription = subscribe(undefined, { channel: 'alerts' }, {}, {});
subscription.next().then(() => {
  throw new Error('no event of this channel is ever published');
});

serve((i) => {
  pubsub.publish('MESSAGE', { channel: 'chatter', text: `message ${i}` });
  return new Promise((resolve) => setImmediate(resolve));
});

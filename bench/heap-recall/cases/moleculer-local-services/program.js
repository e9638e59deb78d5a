// Moleculer services created and destroyed at run time (one per job, the
// "dynamic service creation" of moleculer's issue #1121) on a started
// broker. In 0.14.23, registering a local service pushes it onto the
// registry's localNode.services and unregistering never takes it out;
// 0.14.24 splices it out in unregisterService(). No transporter: a local
// broker only.
'use strict';
const { ServiceBroker } = require('moleculer');
const serve = require('./serve');

const broker = new ServiceBroker({ logger: false, transporter: null });

broker.start().then(() => {
  serve(async (i) => {
    const service = broker.createService({
      name: `job-${i}`,
      actions: { run: () => i },
    });
    await broker.waitForServices(`job-${i}`, 5000, 5);
    await broker.call(`job-${i}.run`);
    await broker.destroyService(service);
  });
});

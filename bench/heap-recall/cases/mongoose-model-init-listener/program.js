// Models compiled at run time and deleted again with deleteModel() (one
// per tenant or per import job, the use of mongoose's issue #7682), on a
// connection that is never opened: compiling and initialising a model
// needs no server. In 5.5.1, Model.init() adds
// this.db.$internalEmitter.once('dropDatabase', ...) closing over the
// model, so the connection keeps every deleted model; 5.5.2 drops the
// listener.
'use strict';
const mongoose = require('mongoose');
const serve = require('./serve');

const conn = mongoose.createConnection();

serve(async (i) => {
  const schema = new mongoose.Schema({ name: String, items: [{ sku: String, qty: Number }] },
    { autoIndex: false, autoCreate: false });
  const name = `Import${i}`;
  const Model = conn.model(name, schema);
  await Model.init();
  conn.deleteModel(name);
});

'use strict';
const alerts = require('./alerts');
const { deprecate } = require('./alerts');

exports.legacyGet = function legacyGet(req) {
  alerts.warnOnce('legacyGet() is deprecated; use get()');
  deprecate('legacyGet()');
  return req.url;
};

exports.legacyPut = function legacyPut(req) {
  alerts.warnOnce(`legacyPut() is deprecated; use put()`);
  deprecate('legacyPut()');
  return req.url;
};

exports.fail = function fail(err) {
  alerts.reportOnce('request failed');
  alerts.reportOnce('request failed: ' + err.message);
};

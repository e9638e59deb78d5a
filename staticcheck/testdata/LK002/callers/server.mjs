// Calls the helpers of relay.mjs from a request handler.
import http from 'node:http';
import { EventEmitter } from 'node:events';
import { forward, onShutdown, pipeBody, logEvents, forwardOnce, watchChild } from './relay.mjs';
import * as relay from './relay.mjs';
import { spawn } from 'node:child_process';

export const bus = new EventEmitter();

logEvents(process);

http.createServer((req, res) => {
  forward(bus, res);
  onShutdown(process, req.socket);
  pipeBody(req, res);
  forwardOnce(bus, res);
  watchChild(spawn('ls'), res);
  relay.relayErrors(bus, res);
}).listen(8080);

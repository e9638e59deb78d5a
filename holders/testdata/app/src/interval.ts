// An interval started per request and never cleared.
class Poller {
  constructor(public id: number) {}
}

export function poll(id: number): void {
  const poller = new Poller(id);
  setInterval(function onPoll() { // want LK103 "setInterval("
    poller.id++;
  }, 60_000);
}

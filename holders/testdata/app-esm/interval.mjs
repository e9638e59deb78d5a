// A timeout started per request, still pending long after the request.
class Poller {
  constructor(id) {
    this.id = id;
  }
}

export function poll(id) {
  const poller = new Poller(id);
  setTimeout(() => { // want LK103 "setTimeout("
    poller.id++;
  }, 60000);
}

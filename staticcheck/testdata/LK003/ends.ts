// TypeScript. A progress timer per upload, cleared when it loads only.
export function upload(url: string, body: Blob, report: (n: number) => void): void {
  const request = new XMLHttpRequest();
  const progress = setInterval(() => report(Date.now()), 500); // want LK003 "is cleared in the onload handler of request but not in its onerror and ontimeout handlers"
  function done(): void {
    clearInterval(progress);
  }
  request.onload = (): void => done();
  request.onerror = (): void => report(-1);
  request.ontimeout = (): void => report(-1);
  request.open('POST', url);
  request.send(body);
}

// Cleared in every handler.
export function uploadFixed(url: string, body: Blob, report: (n: number) => void): void {
  const request = new XMLHttpRequest();
  const progress = setInterval(() => report(Date.now()), 500);
  const done = (): void => clearInterval(progress);
  request.onload = (): void => done();
  request.onerror = (): void => done();
  request.ontimeout = (): void => done();
  request.send(body);
}

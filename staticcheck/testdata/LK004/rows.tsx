// Components that hand closures to module-level stores.
const listeners: Array<() => void> = [];

export function Row({ request }: { request: Request }) {
  listeners.push(() => console.log(request.url)); // want LK004 "request.url"
  listeners.push(() => fetch(request));
  return <div onClick={() => console.log(request.url)}>{request.url}</div>;
}

export function Upload({ file }: { file: File }) {
  setTimeout(() => console.log(file.name, file.size), 45000); // want LK004 "45-second"
  return <span>{file.name}</span>;
}

// React components: effects run on every mount.
import { useEffect, useState } from 'react';

export function Width() {
  const [w, setW] = useState(0);
  useEffect(() => {
    window.addEventListener('resize', () => setW(window.innerWidth)); // want LK002 "on every effect run"
  }, []);
  return <div>{w}</div>;
}

export function WidthWithCleanup() {
  const [w, setW] = useState(0);
  useEffect(() => {
    const onResize = () => setW(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return <div>{w}</div>;
}

export function Keys() {
  useEffect(() => {
    const ac = new AbortController();
    window.addEventListener('scroll', () => {}, { signal: ac.signal });
    document.addEventListener('keydown', onKey, { once: true });
    return () => ac.abort();
  }, []);
  return <span />;
}

function onKey() {}

// The same function added twice is ignored by EventTarget.
export function Stable() {
  useEffect(() => {
    window.addEventListener('resize', onKey);
  }, []);
  return null;
}

export function Clicks({ onClick }: { onClick: () => void }) {
  useEffect(() => {
    document.body.addEventListener('click', (e) => onClick()); // want LK002 "document.body"
  }, [onClick]);
  return <button onClick={() => onClick()}>go</button>;
}

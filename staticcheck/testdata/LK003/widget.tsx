// React components with intervals.
import { useEffect, useState } from 'react';

export function Clock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setInterval(() => setNow(Date.now()), 1000); // want LK003 "on every effect run"
  }, []);
  return <time>{now}</time>;
}

export function GoodClock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return <time>{now}</time>;
}

export function Blink() {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const id = window.setInterval(() => setOn((v) => !v), 500); // want LK003 "interval id is never cleared"
  }, []);
  return <span>{on ? '*' : ' '}</span>;
}

import React, { useEffect } from 'react';

const renders: number[] = [];
const mounted = new Set<string>();

export function Widget({ id }: { id: string }) {
  renders.push(Date.now()); // want LK001 "renders"
  useEffect(() => {
    mounted.add(id);
    return () => {
      mounted.delete(id);
    };
  }, [id]);
  return <div className="widget">{id}</div>;
}

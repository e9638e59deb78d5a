export interface Row {
  id: number;
  name: string;
}

// buildRows allocates the rows: the profile's top site.
export function buildRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push({ id: i, name: `row-${i}` });
  return rows;
}

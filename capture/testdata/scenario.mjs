// One request to the program per iteration.
export const iterations = 8;

export async function action(ctx) {
  const res = await fetch(new URL(`/item/${ctx.iteration}`, ctx.url));
  await res.text();
}

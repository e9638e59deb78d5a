// Asks the program to exit, then waits for ever: only the end of the
// program ends the run.
export async function action(ctx) {
  await fetch(new URL('/exit', ctx.url)).then((r) => r.text(), () => {});
  await new Promise(() => {});
}

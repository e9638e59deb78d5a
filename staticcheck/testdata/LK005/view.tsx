export function View(props: { title: string }) {
  last = props.title;
  return <h1>{last}</h1>;
}

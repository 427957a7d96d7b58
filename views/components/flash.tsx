/** A message after an action: status messages are announced politely, errors assertively. */
export function Flash(props: { kind: "info" | "error"; text: string }) {
  return props.kind === "error" ? (
    <div class="flash flash-error" role="alert">
      {props.text}
    </div>
  ) : (
    <div class="flash flash-info" role="status">
      {props.text}
    </div>
  );
}

import type { Child } from "hono/jsx";

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A form that is one button: posts to `action` with the CSRF token and the hidden `fields`. */
export function PostButton(props: {
  action: string;
  csrfToken: string;
  label: Child;
  fields?: Record<string, string>;
  /** The form's class ("inline-form" beside a line of text). */
  class?: string;
  buttonClass?: string;
  /** A fuller name for the button, where its text alone is ambiguous in a list. */
  buttonName?: string;
}) {
  return (
    <form method="post" action={props.action} class={props.class}>
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.buttonClass} aria-label={props.buttonName}>
        {props.label}
      </button>
    </form>
  );
}

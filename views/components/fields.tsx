// Form fields as every form writes them: the label tied to its control, an optional hint, and the field's own error
// in French next to it (RGAA 11.10, 11.11). A field with an error is aria-invalid and described by the message; the
// form's summary at the top (a Flash) stays where a page has one.
import type { Child, JSX } from "hono/jsx";

type InputAttributes = Omit<JSX.IntrinsicElements["input"], "id" | "name" | "children">;

export interface FieldProps {
  /** The control's id, which the label points at; also its name unless `name` says otherwise. */
  id: string;
  name?: string;
  label: Child;
  labelClass?: string;
  /** A hint under the label, read with the control (its id is `<id>-hint`). */
  hint?: Child;
  /** The field's own error, in French, shown next to the control (its id is `<id>-error`). */
  error?: string | undefined;
  /** Other elements that describe the control: a hint shared by several fields. */
  describedBy?: string;
}

const hintId = (id: string) => `${id}-hint`;
const errorId = (id: string) => `${id}-error`;

type Described = Pick<FieldProps, "id" | "hint" | "error"> & { describedBy?: string | undefined };

/** aria-describedby: the shared hints, the field's hint, its error; nothing when there are none. */
function describedBy(p: Described): string | undefined {
  const list = [p.describedBy, p.hint ? hintId(p.id) : undefined, p.error ? errorId(p.id) : undefined].filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

/** The attributes that tie a control to its hint and error. */
function aria(p: FieldProps) {
  return { "aria-invalid": p.error ? ("true" as const) : undefined, "aria-describedby": describedBy(p) };
}

function FieldHint(props: Described) {
  return props.hint ? (
    <p class="hint" id={hintId(props.id)}>
      {props.hint}
    </p>
  ) : null;
}

function FieldError(props: Described) {
  return props.error ? (
    <p class="field-error" id={errorId(props.id)}>
      {props.error}
    </p>
  ) : null;
}

function Field(props: FieldProps & { children: Child }) {
  return (
    <div class="field">
      <label for={props.id} class={props.labelClass}>
        {props.label}
      </label>
      <FieldHint id={props.id} hint={props.hint} />
      {props.children}
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

function split<P extends FieldProps>(props: P) {
  const { id, name, label, labelClass, hint, error, describedBy: shared, ...rest } = props;
  const field: FieldProps = { id, name, label, labelClass, hint, error, describedBy: shared };
  return { field, rest, name: name ?? id };
}

/** An `<input>`: text unless `type` says otherwise; every other attribute (value, maxlength, required…) passes on. */
export function InputField(props: FieldProps & InputAttributes) {
  const { field, rest, name } = split(props);
  return (
    <Field {...field}>
      <input id={field.id} name={name} {...rest} {...aria(field)} />
    </Field>
  );
}

export function DateField(props: FieldProps & Omit<InputAttributes, "type"> & { withTime?: boolean }) {
  const { withTime, ...rest } = props;
  return <InputField {...rest} type={withTime ? "datetime-local" : "date"} />;
}

export function TimeField(props: FieldProps & Omit<InputAttributes, "type">) {
  return <InputField {...props} type="time" />;
}

export function NumberField(props: FieldProps & Omit<InputAttributes, "type">) {
  return <InputField {...props} type="number" />;
}

export function TextAreaField(
  props: FieldProps &
    Omit<JSX.IntrinsicElements["textarea"], "id" | "name" | "children" | "value"> & { value?: string },
) {
  const { field, rest, name } = split(props);
  const { value, ...attributes } = rest;
  return (
    <Field {...field}>
      <textarea id={field.id} name={name} {...attributes} {...aria(field)}>
        {value ?? ""}
      </textarea>
    </Field>
  );
}

export interface SelectOption {
  value: string;
  label: Child;
  disabled?: boolean;
}

/** A `<select>` of `options`, the one whose value is `chosen` selected. */
export function SelectField(
  props: FieldProps & { options: readonly SelectOption[]; chosen?: string | null | undefined; required?: boolean },
) {
  const { field, rest, name } = split(props);
  return (
    <Field {...field}>
      <select id={field.id} name={name} required={rest.required} {...aria(field)}>
        {rest.options.map((o) => (
          <option value={o.value} selected={o.value === rest.chosen} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** One checkbox (or radio) with its label after it; its value is "1" unless told. */
export function CheckField(props: {
  id: string;
  name?: string;
  label: Child;
  labelClass?: string;
  type?: "checkbox" | "radio";
  value?: string;
  checked?: boolean;
  disabled?: boolean;
  required?: boolean;
  describedBy?: string;
}) {
  return (
    <div class="field field-check">
      <input
        type={props.type ?? "checkbox"}
        id={props.id}
        name={props.name ?? props.id}
        value={props.value ?? "1"}
        checked={props.checked}
        disabled={props.disabled}
        required={props.required}
        aria-describedby={props.describedBy}
      />
      <label for={props.id} class={props.labelClass}>
        {props.label}
      </label>
    </div>
  );
}

/**
 * A fieldset with its legend, an optional hint and the group's error after its controls. `id` names the hint and
 * the error (`<id>-hint`, `<id>-error`); a group is described by them (aria-invalid belongs to the controls).
 */
export function Fieldset(props: {
  id: string;
  legend: Child;
  legendClass?: string;
  class?: string;
  hint?: Child;
  error?: string | undefined;
  describedBy?: string | undefined;
  children: Child;
}) {
  return (
    <fieldset class={props.class} aria-describedby={describedBy(props)}>
      <legend class={props.legendClass}>{props.legend}</legend>
      <FieldHint id={props.id} hint={props.hint} />
      {props.children}
      <FieldError id={props.id} error={props.error} />
    </fieldset>
  );
}

export interface Choice {
  value: string;
  label: Child;
  /** The control's id when it is not `<idPrefix>-<value>`. */
  id?: string;
  disabled?: boolean;
  labelClass?: string;
}

/** Radios or checkboxes of one name in a fieldset; those whose value is (among) `chosen` are checked. */
export function ChoiceGroup(props: {
  type: "radio" | "checkbox";
  name: string;
  legend: Child;
  legendClass?: string;
  choices: readonly Choice[];
  chosen?: string | readonly string[] | null | undefined;
  /** The start of the controls' ids; the name unless told. */
  idPrefix?: string;
  hint?: Child;
  error?: string | undefined;
  describedBy?: string | undefined;
}) {
  const prefix = props.idPrefix ?? props.name;
  const chosen = props.chosen;
  const isChosen = (v: string) => (typeof chosen === "string" ? chosen === v : (chosen?.includes(v) ?? false));
  return (
    <Fieldset
      id={prefix}
      legend={props.legend}
      legendClass={props.legendClass}
      hint={props.hint}
      error={props.error}
      describedBy={props.describedBy}
    >
      {props.choices.map((c) => (
        <CheckField
          type={props.type}
          id={c.id ?? `${prefix}-${c.value}`}
          name={props.name}
          value={c.value}
          label={c.label}
          labelClass={c.labelClass}
          checked={isChosen(c.value)}
          disabled={c.disabled}
        />
      ))}
    </Fieldset>
  );
}

export interface FormErrors {
  list: readonly string[];
  summary: string | undefined;
  of(...codes: string[]): string | undefined;
}

/**
 * A form's error codes with their French messages: `summary` for the Flash at the top of the form, `of(...codes)`
 * for the field those codes belong to (the messages of the codes the form has, or nothing).
 */
export function formErrors(codes: readonly string[] | undefined, message: (code: string) => string): FormErrors {
  const list = codes ?? [];
  const join = (some: readonly string[]) => (some.length ? some.map(message).join(" ") : undefined);
  return {
    list,
    summary: join(list),
    of: (...mine: string[]) => join(list.filter((e) => mine.includes(e))),
  };
}

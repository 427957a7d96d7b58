// The per-message xmllint validator that src/node/saml-schema.ts replaced, kept to compare verdicts (issue 22).
declare module "@authenio/samlify-xmllint-wasm" {
  export function validate(xml: string): Promise<true>;
}

// The SAML schema validator ships without types: samlify calls its one function.
declare module "@authenio/samlify-xmllint-wasm" {
  export function validate(xml: string): Promise<string>;
}

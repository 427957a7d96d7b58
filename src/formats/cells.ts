// What a spreadsheet cell may hold when the hub writes a table out (CSV, ODS): text a person typed must stay text.
// A cell beginning with =, +, -, @, a tab or a carriage return is read as a formula by spreadsheet programs (a
// roll-call reason "=cmd|"/c calc"!A1" ran as one: issue 21 F8); OWASP's advice is to prefix such a cell with a
// single quote, which spreadsheets show as text and which a reader sees at once.
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell's text, prefixed with ' when a spreadsheet would run it. Every export goes through this. */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A table as CSV the way French spreadsheets open it: UTF-8 with a byte order mark, semicolons, CRLF; cells
 *  neutralised (spreadsheetText), quoted when they hold a separator, a quote or a line break. */
export function tableToCsv(rows: readonly (readonly string[])[]): string {
  const cell = (raw: string) => {
    const v = spreadsheetText(raw);
    return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(";")).join("\r\n")}\r\n`;
}

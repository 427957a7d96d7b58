// 21 F8: spreadsheet exports keep typed text as text — a cell a spreadsheet would run as a formula is prefixed with '.
import { describe, expect, it } from "vitest";
import { spreadsheetText, tableToCsv } from "../../src/formats/cells";
import { tableToOds } from "../../src/formats/ods";

describe("spreadsheet cells", () => {
  it("a cell starting with =, +, -, @, a tab or a carriage return is prefixed with a quote; others are kept", () => {
    for (const cell of ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", '=cmd|"/c calc"!A1'])
      expect(spreadsheetText(cell), cell).toBe(`'${cell}`);
    for (const cell of ["Malade", "", "2026-12-14", " =1", "a=b", "'déjà"])
      expect(spreadsheetText(cell), cell).toBe(cell);
  });

  it("CSV: neutralised, then quoted when a separator, a quote or a line break is in the cell", () => {
    const csv = tableToCsv([["Motif"], ['=cmd|"/c calc"!A1'], ["a;b"], ["\r=1"], ["x\ny"]]);
    expect(csv.split("\r\n")).toEqual(["\uFEFFMotif", `"'=cmd|""/c calc""!A1"`, '"a;b"', `"'\r=1"`, '"x\ny"', ""]);
  });

  it("ODS: the same text in the string cells", () => {
    const text = new TextDecoder().decode(tableToOds("Registre", [["@A1", "ok"]]));
    expect(text).toContain("<text:p>&#39;@A1</text:p>");
    expect(text).toContain("<text:p>ok</text:p>");
  });
});

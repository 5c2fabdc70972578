// CSV in and out for the browser: exports of the customer list and previews of scored files.

// OWASP's advice against CSV formula injection: text a spreadsheet would run as a formula gets a
// leading ' (numbers are ours and stay as they are; an id that looks like -1 is text and is escaped).
const FORMULA_START = /^[=+\-@\t\r]/;

function quote(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  const text = typeof value !== 'number' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// RFC 4180: a header row, then one row per record, CRLF line ends.
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.map(quote).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quote(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

// Parses RFC 4180 text (quoted fields, doubled quotes, CRLF or LF); at most `maxRows` data rows.
export function parseCsv(
  text: string,
  maxRows = Infinity,
): { header: string[]; rows: string[][]; truncated: boolean } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    record.push(field);
    field = '';
    records.push(record);
    record = [];
  };
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i += 1;
      endRecord();
      if (records.length > maxRows + 1) break; // the header, maxRows rows, and one to tell truncation
    } else {
      field += c;
    }
    i += 1;
  }
  if (field !== '' || record.length > 0) endRecord();
  const header = records.shift() ?? [];
  const truncated = records.length > maxRows;
  return { header, rows: records.slice(0, maxRows), truncated };
}

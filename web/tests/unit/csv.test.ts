// The dashboard's CSV export neutralises spreadsheet formulas in text cells.
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../src/csv';

describe('CSV export', () => {
  it('prefixes text that a spreadsheet would run with a quote', () => {
    const ids = ['=HYPERLINK("http://x","y")', '+cmd', '-1+1', '@SUM(1)', '\tTAB', '\rCR'];
    const csv = toCsv(
      ['customer_id', 'p'],
      ids.map((id) => ({ customer_id: id, p: 0.5 })),
    );
    expect(csv).toBe(
      'customer_id,p\r\n' +
        '"\'=HYPERLINK(""http://x"",""y"")",0.5\r\n' +
        "'+cmd,0.5\r\n'-1+1,0.5\r\n'@SUM(1),0.5\r\n'\tTAB,0.5\r\n" +
        '"\'\rCR",0.5\r\n',
    );
    expect(parseCsv(csv).rows.map((r) => r[0])).toEqual(ids.map((id) => `'${id}`));
  });

  it('leaves numbers it writes and ordinary text unchanged', () => {
    const csv = toCsv(['id', 'delta', 'note'], [{ id: '7590-VHVEG', delta: -0.25, note: 'a=b' }]);
    expect(csv).toBe('id,delta,note\r\n7590-VHVEG,-0.25,a=b\r\n');
  });
});

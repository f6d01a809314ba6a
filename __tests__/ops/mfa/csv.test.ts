import { parseCsv, splitCsvLine } from '../../../ops/mfa/csv';

describe('bulk CSV parsing', () => {
  it('reads ids and emails with every accepted spelling of on and off', () => {
    const { rows, problems } = parseCsv(
      'user,use_mfa\nauth0|a1,on\nb@example.com,OFF\ngoogle-oauth2|42,true\nc@example.com, False \n',
    );
    expect(problems).toEqual([]);
    expect(rows.map(({ line, user, on }) => ({ line, user, on }))).toEqual([
      { line: 2, user: 'auth0|a1', on: true },
      { line: 3, user: 'b@example.com', on: false },
      { line: 4, user: 'google-oauth2|42', on: true },
      { line: 5, user: 'c@example.com', on: false },
    ]);
  });

  it('accepts a byte-order mark, CRLF line ends, blank lines, quotes and a capitalised header', () => {
    const { rows, problems } = parseCsv(
      '\uFEFF"User","USE_MFA"\r\n\r\n"a@example.com","on"\r\n"x|""y",off\r\n',
    );
    expect(problems).toEqual([]);
    expect(rows.map((row) => [row.line, row.user, row.on])).toEqual([
      [3, 'a@example.com', true],
      [4, 'x|"y', false],
    ]);
  });

  it('names the line number and the value of every bad row', () => {
    const { problems } = parseCsv(
      [
        'user,use_mfa',
        'a@example.com,yes',
        'b@example.com,on',
        ',on',
        'c@example.com,on,extra',
        'd@example.com',
        '"e@example.com,on',
        'f@example.com,1',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 2: use_mfa "yes" is not one of on, off, true, false',
      'line 4: the user column is empty',
      'line 5: expected 2 columns (user,use_mfa), found 3 in "c@example.com,on,extra"',
      'line 6: expected 2 columns (user,use_mfa), found 1 in "d@example.com"',
      'line 7: unbalanced quotes in "\\"e@example.com,on"',
      'line 8: use_mfa "1" is not one of on, off, true, false',
    ]);
  });

  it('refuses a missing or different header instead of guessing the columns', () => {
    expect(parseCsv('a@example.com,on\n').problems).toEqual([
      'line 1: expected the header user,use_mfa, found "a@example.com,on"',
    ]);
    expect(parseCsv('email,mfa\n').problems[0]).toMatch(/^line 1: expected the header user,use_mfa/);
    expect(parseCsv('\n\n').problems).toEqual(['the file is empty: expected the header user,use_mfa']);
  });

  it('reports a user listed twice, emails compared without case', () => {
    const { problems } = parseCsv(
      'user,use_mfa\nA@Example.com,on\nauth0|x,on\na@example.com,off\nauth0|X,on\n',
    );
    expect(problems).toEqual(['line 4: a@example.com is already on line 2']);
  });

  it('splits quoted fields with commas and doubled quotes', () => {
    expect(splitCsvLine('"a,b", c ,"d""e"')).toEqual(['a,b', 'c', 'd"e']);
    expect(splitCsvLine('"open')).toBeUndefined();
  });
});

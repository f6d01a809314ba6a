import { parseCsv } from '../../../ops/mfa/csv';

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
      '\uFEFF"User","USE_MFA"\r\n\r\n"a@example.com","on"\r\n"samlp|corp|a,b",off\r\n',
    );
    expect(problems).toEqual([]);
    expect(rows.map((row) => [row.line, row.user, row.on])).toEqual([
      [3, 'a@example.com', true],
      [4, 'samlp|corp|a,b', false],
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
        'f@example.com,1',
        '"=SUM(A1)",on',
        'auth0|x y,on',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 2, column use_mfa: "yes" is not one of on, off, true, false',
      'line 4, column user: the user is empty',
      'line 5: expected 2 columns (user,use_mfa), found 3 in "c@example.com,on,extra"',
      'line 6: expected 2 columns (user,use_mfa), found 1 in "d@example.com"',
      'line 7, column use_mfa: "1" is not one of on, off, true, false',
      'line 8, column user: "=SUM(A1)" starts like a spreadsheet formula (=, +, -, @); it is neither a user id nor an email',
      'line 9, column user: "auth0|x y" is neither a user id (provider|id, e.g. auth0|abc123) nor an email address',
    ]);
  });

  it('refuses a file whose quotes never close, naming the line where the quote opened', () => {
    expect(parseCsv('user,use_mfa\na@example.com,on\n"e@example.com,on\n').problems).toEqual([
      'line 3: Quote Not Closed: the parsing is finished with an opening quote',
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
});

import { safeErrorText, serializeError } from '../../modules/platform/logger';

describe('error text in logs', () => {
  it('when knex prefixes a message with the SQL and its interpolated values, then only the driver message is kept', () => {
    const text = `insert into "flags" ("description") values ('a - secret body - b') - value too long for type character varying(80)`;
    expect(safeErrorText(text)).toBe('[query] - value too long for type character varying(80)');
  });

  it('when PostgreSQL quotes the input it refused, then the quoted run is elided', () => {
    expect(safeErrorText('invalid input syntax for type uuid: "the "body" text"')).toBe(
      'invalid input syntax for type uuid: "…"',
    );
    expect(safeErrorText('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('when an error carries a body or a detail, then only the allowed fields are serialised', () => {
    const err = Object.assign(new SyntaxError('Unexpected token'), {
      body: '{"password":"x"}',
      detail: 'Key (key)=(body)',
      code: '23505',
      constraint: 'flags_key',
    });
    expect(serializeError(err)).toEqual({
      type: 'SyntaxError',
      message: 'Unexpected token',
      code: '23505',
      constraint: 'flags_key',
      stack: expect.stringMatching(/^SyntaxError: Unexpected token\n\s+at /),
    });
  });
});

import { PreconditionFailedError } from '../../core/errors';
import { assertVersion } from '../../modules/platform/if-match';

describe('the If-Match check of versioned writes', () => {
  it('when no If-Match was sent, then the write goes ahead', () => {
    expect(() => assertVersion({ version: 7 }, undefined)).not.toThrow();
  });

  it('when If-Match names the current version, then the write goes ahead', () => {
    expect(() => assertVersion({ version: 7 }, 7)).not.toThrow();
  });

  it('when If-Match names another version, then 412 PRECONDITION_FAILED naming the current one', () => {
    for (const sent of [6, 8, 0]) {
      let thrown: unknown;
      try {
        assertVersion({ version: 7 }, sent);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(PreconditionFailedError);
      expect(thrown).toMatchObject({
        status: 412,
        code: 'PRECONDITION_FAILED',
        details: [{ path: 'If-Match', currentVersion: 7 }],
      });
    }
  });
});

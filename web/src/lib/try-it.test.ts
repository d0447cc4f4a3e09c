import { describe, expect, it } from '@jest/globals';
import { attributeOf, bucketText, contextOf, OUTCOMES, reasonText } from './try-it';

describe('try-it', () => {
  it('when attributes are made, then each has its own uid', () => {
    const a = attributeOf('targetingKey', 'user-42');
    const b = attributeOf();
    expect(a).toMatchObject({ name: 'targetingKey', value: 'user-42' });
    expect(b).toMatchObject({ name: '', value: '' });
    expect(a.uid).not.toBe(b.uid);
  });

  it('when some rows are blank, then the context leaves them out and trims the names', () => {
    const rows = [
      attributeOf('targetingKey', 'user-42'),
      attributeOf('tenantId', ''),
      attributeOf('  country ', 'FR'),
      attributeOf(' ', 'x'),
    ];
    expect(contextOf(rows)).toEqual({ targetingKey: 'user-42', country: 'FR' });
  });

  it('when a split decides, then the reason says which way it went', () => {
    expect(reasonText({ reason: 'SPLIT', value: true })).toBe('A percentage rule put this context in.');
    expect(reasonText({ reason: 'SPLIT', value: false })).toBe(
      'No rule matched; a percentage rule left this context out.',
    );
    expect(reasonText({ reason: 'DISABLED', value: false })).toBe(
      'The flag is off (kill switch), whatever its rules say.',
    );
    expect(reasonText({ reason: 'TARGETING_MATCH', value: true })).toBe('A targeting rule matched.');
  });

  it('when the reason is unknown, then there is no sentence', () => {
    expect(reasonText({ reason: 'NEW_REASON' as 'ERROR', value: false })).toBe('');
  });

  it('when a percentage rule ran, then the bucket line says where the context landed', () => {
    expect(bucketText({ bucket: 812, threshold: 1000, stickiness: 'userId' })).toBe(
      'userId lands in bucket 812 of 10000; the first 1000 (10%) are in',
    );
    expect(bucketText({ bucket: 4512, threshold: 1250 })).toBe(
      'targetingKey lands in bucket 4512 of 10000; the first 1250 (12.5%) are out',
    );
    expect(bucketText({ bucket: 1000, threshold: 1000 })).toMatch(/are out$/);
  });

  it('when a rule is not a percentage, then there is no bucket line', () => {
    expect(bucketText({})).toBe('');
    expect(bucketText({ bucket: 3 })).toBe('');
  });

  it('names every outcome', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual(['match', 'missing_attribute', 'no_match', 'not_evaluated']);
  });
});

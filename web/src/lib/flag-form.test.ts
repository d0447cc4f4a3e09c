import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@/api/client';
import { newFlagFieldErrors, newFlagHasGeneralError, tagMessages } from './flag-form';

const invalid = new ApiError({
  code: 'VALIDATION_FAILED',
  message: 'The request is not valid.',
  status: 400,
  details: [
    { path: 'key', message: 'must be lowercase' },
    { path: 'description', message: 'is too long' },
    { path: 'tags[1]', message: 'must be lowercase' },
    { path: 'tags', message: 'has too many entries' },
    { path: 'other', message: 'is unknown' },
  ],
});
const failure = (code: string, message: string, details: { path?: string; message: string }[] = []) =>
  new ApiError({ code, message, status: 400, details });

describe('newFlagFieldErrors', () => {
  it('puts each message next to its field, naming the tag a tag message is about', () => {
    expect(newFlagFieldErrors(invalid, ['checkout', 'Beta'])).toEqual({
      key: ['must be lowercase'],
      description: ['is too long'],
      tags: ['“Beta” must be lowercase', 'has too many entries'],
    });
    expect(newFlagFieldErrors(null, [])).toEqual({ key: [], description: [], tags: [] });
  });

  it('puts a duplicate key on the key field', () => {
    expect(newFlagFieldErrors(failure('CONFLICT', 'A flag with this key exists.'), []).key).toEqual([
      'A flag with this key exists.',
    ]);
  });
});

describe('newFlagHasGeneralError', () => {
  it('is true when a message belongs to no field, or the error has no details; never for a duplicate key', () => {
    expect(newFlagHasGeneralError(null)).toBe(false);
    expect(newFlagHasGeneralError(invalid)).toBe(true);
    expect(
      newFlagHasGeneralError(
        failure('VALIDATION_FAILED', 'x', [
          { path: 'key', message: 'x' },
          { path: 'tags[0]', message: 'y' },
        ]),
      ),
    ).toBe(false);
    expect(newFlagHasGeneralError(failure('INTERNAL', 'boom'))).toBe(true);
    expect(newFlagHasGeneralError(failure('CONFLICT', 'taken'))).toBe(false);
  });
});

describe('tagMessages', () => {
  it('keeps the messages about tags, naming the tag', () => {
    expect(tagMessages(invalid, ['checkout', 'Beta'])).toEqual([
      '“Beta” must be lowercase',
      'tags has too many entries',
    ]);
    expect(tagMessages(null, [])).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { useConfirmTarget } from './useConfirmTarget';

describe('useConfirmTarget', () => {
  it('asking opens the dialog about the row; closing keeps the row for the dialog that fades out', () => {
    const c = useConfirmTarget<{ id: string }>();
    expect(c.target.value).toBeNull();
    expect(c.visible.value).toBe(false);

    c.ask({ id: 'a' });
    expect(c.target.value).toEqual({ id: 'a' });
    expect(c.visible.value).toBe(true);

    c.visible.value = false;
    expect(c.target.value).toEqual({ id: 'a' });
    c.ask({ id: 'b' });
    expect(c.target.value).toEqual({ id: 'b' });
    expect(c.visible.value).toBe(true);
  });
});

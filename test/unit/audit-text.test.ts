import { AUDIT_ACTIONS } from '../../core/audit-actions';
import { describeAction } from '../../web/src/lib/audit-text';

describe('audit wording', () => {
  it.each(AUDIT_ACTIONS)('when the log shows a %s event, then it reads as a sentence written for it', (action) => {
    const text = describeAction({ action });
    // the fallback for unknown actions uses a generic icon: every known action has its own wording
    expect(text.icon).not.toBe('pi-history');
    expect(text.text).toMatch(/^[a-z]/);
  });

  it('when an action no writer knows shows up, then it is still described from its name', () => {
    expect(describeAction({ action: 'widget.frobbed' })).toEqual({
      text: 'frobbed widget',
      icon: 'pi-history',
      tone: 'info',
    });
  });
});

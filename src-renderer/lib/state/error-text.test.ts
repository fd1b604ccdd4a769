import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { errorText, type ErrorAction } from './error-text';

const actions: ErrorAction[] = [
  'open-conversation',
  'send',
  'rename',
  'pin',
  'delete',
  'restore',
  'export',
  'stop',
  'edit',
  'regenerate',
  'continue',
  'switch-branch',
  'delete-message',
  'search',
  'import',
];

describe('errorText', () => {
  const gone = new AppError('not_found', 'Conversation 3 does not exist.');
  const messageGone = new AppError('not_found', 'Message 17 is not a user message of conversation 3.');

  it('never shows a not_found message, whatever the action', () => {
    for (const action of [...actions, undefined]) {
      for (const error of [gone, messageGone]) {
        const text = errorText(error, action);
        expect(text).not.toMatch(/\d/);
        expect(text).not.toBe(error.message);
        expect(text.length).toBeGreaterThan(0);
      }
    }
  });

  it('words the missing thing from the action, not from the message', () => {
    expect(errorText(gone, 'send')).toBe('This conversation was deleted.');
    expect(errorText(messageGone, 'send')).toBe('This conversation was deleted.');
    expect(errorText(gone, 'edit')).toBe('That message no longer exists.');
    expect(errorText(messageGone, 'regenerate')).toBe('That message no longer exists.');
  });

  it("keeps the backend's words where they name what the person chose (a model file's path)", () => {
    const missingFile = new AppError('not_found', 'No file at /home/ada/models/phi-2.gguf.');
    expect(errorText(missingFile, 'model')).toBe(missingFile.message);
  });

  it('keeps the messages other codes write for people', () => {
    const busy = new AppError('busy', 'An answer is still being written in this conversation.');
    expect(errorText(busy, 'send')).toBe(busy.message);
    expect(errorText(new AppError('too_long', 'Too long for the model.'))).toBe('Too long for the model.');
  });

  it('shows a plain error or value as it is', () => {
    expect(errorText(new Error('Boom'))).toBe('Boom');
    expect(errorText('text')).toBe('text');
  });
});

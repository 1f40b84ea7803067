import { describe, expect, it } from 'vitest';
import { ApiError } from './net/api.js';
import { MediaError } from './media/strip.js';
import { FALLBACK_MESSAGE, UserError, userMessage } from './user-message.js';

describe('userMessage', () => {
  it('passes sentences written for people through', () => {
    expect(userMessage(new UserError('This invite link is damaged. Ask for the link again.'))).toBe('This invite link is damaged. Ask for the link again.');
    expect(userMessage(new ApiError(404, 'room_not_found', 'This room does not exist.'))).toBe('This room does not exist.');
    expect(userMessage(new MediaError('That file is not an image.'))).toBe('That file is not an image.');
  });

  it('never shows a raw exception', () => {
    expect(userMessage(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(FALLBACK_MESSAGE);
    expect(userMessage(new DOMException('The operation is insecure.', 'SecurityError'))).toBe(FALLBACK_MESSAGE);
    expect(userMessage('a string')).toBe(FALLBACK_MESSAGE);
    expect(userMessage(undefined, 'Could not create the room. Try again.')).toBe('Could not create the room. Try again.');
    expect(userMessage(new UserError('  '))).toBe(FALLBACK_MESSAGE);
  });
});

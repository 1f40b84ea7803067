import { z } from 'zod';
import { ErrorCode } from '../codes.js';
import { epochSchema, refSchema, versionSchema } from './common.js';

const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/** Relay → client: what went wrong, in a sentence a person can act on. */
export const errorSchema = z.object({
  v: versionSchema,
  type: z.literal('error'),
  code: z.enum(errorCodes).describe('A code from the error-code table.'),
  message: z.string().describe('A sentence for people, saying what to do.'),
  ref: refSchema.optional().describe('The `ref` of the client message this answers, when it had one.'),
  epoch: epochSchema.optional().describe("On `stale_epoch`: the room's current epoch, to re-base the refused commit on."),
}).describe('Relay → client: what went wrong. Followed by a close when the code table says so.');
export type ErrorMessage = z.infer<typeof errorSchema>;

/** The JSON body of every HTTP error response. */
export const httpErrorSchema = z.object({
  error: z.enum(errorCodes),
  message: z.string(),
});
export type HttpError = z.infer<typeof httpErrorSchema>;

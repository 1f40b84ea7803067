import { z } from 'zod';
import { ErrorCode } from '../codes.js';
import { refSchema, versionSchema } from './common.js';

const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/** Relay → client: what went wrong, in a sentence a person can act on. */
export const errorSchema = z.object({
  v: versionSchema,
  type: z.literal('error'),
  code: z.enum(errorCodes),
  message: z.string(),
  ref: refSchema.optional(),
});
export type ErrorMessage = z.infer<typeof errorSchema>;

/** The JSON body of every HTTP error response. */
export const httpErrorSchema = z.object({
  error: z.enum(errorCodes),
  message: z.string(),
});
export type HttpError = z.infer<typeof httpErrorSchema>;

/**
 * Every failure Vitrine reports on purpose is a VitrineError: a stable `code` that callers and
 * tests branch on, a plain-words `message` for the person reading the log, and `data` with the
 * file, line or object it is about. Only the boundaries (CLI, action entries) catch them.
 */
export class VitrineError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(code: string, message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VitrineError';
    this.code = code;
    this.data = data;
  }
}

/** True when `error` is a VitrineError, optionally with the given code. */
export function isVitrineError(error: unknown, code?: string): error is VitrineError {
  return error instanceof VitrineError && (code === undefined || error.code === code);
}

/** A message for anything thrown, including values that are not Errors. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

import type { MessageKey } from '../i18n';

/** A problem the sync found itself (not the box): it waits for the user, like a box `config` error. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly kind: 'config' | 'auth',
    readonly messageKey: MessageKey,
    detail?: string,
  ) {
    super(detail ?? messageKey);
  }
}

/**
 * A socket or TLS failure in a few words a person can read. Node's TLS errors carry OpenSSL's
 * message ("…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…:350:\n");
 * its `reason` ("wrong version number") is the part that means something, and `code` names the rest.
 */
export function socketErrorWords(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { reason, code, message } = error as { reason?: unknown; code?: unknown; message?: unknown };
  if (typeof reason === 'string' && reason.trim() !== '') return reason.trim();
  const text = typeof message === 'string' ? message : '';
  if (/ssl|tls|openssl/i.test(text) && /:\.\.\/deps\/|routines:/.test(text)) {
    // An OpenSSL message without `reason`: keep only its reason part, never build paths.
    const parts = text.split(':').map((part) => part.trim());
    const routines = parts.findIndex((part) => /routines$/i.test(part));
    const words = routines >= 0 ? parts[routines + 2] : undefined;
    if (words) return words;
  }
  const firstLine = text.split('\n')[0]?.trim() ?? '';
  if (firstLine !== '') return firstLine.replace(/:\.\.\/deps\/\S*/g, '');
  return typeof code === 'string' ? code : 'connection failed';
}

/** Whether a TLS failure is the server's `unrecognized_name` alert: it serves no such name. */
export function isUnrecognizedName(error: unknown): boolean {
  const { reason, code } = (error ?? {}) as { reason?: unknown; code?: unknown };
  return (
    code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' ||
    (typeof reason === 'string' && /unrecognized name/i.test(reason))
  );
}

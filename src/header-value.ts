/**
 * Which strings an HTTP header value can carry. Callers check first so they can refuse a bad value naming the
 * header: `new Headers()` and Node's http refuse it too, but with a message that quotes the value, which may be
 * a secret (a session token).
 *
 * @module
 */

/**
 * Characters a header value cannot carry: controls other than tab (a CR/LF would inject headers) and anything
 * past U+00FF. Node's http rule (`checkInvalidHeaderChar`), which covers fetch's (NUL, CR, LF, non-bytes):
 * https://fetch.spec.whatwg.org/#header-value
 */
export const NOT_A_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

/**
 * JSON encoding of the envelope, commands and command results. Payloads stay raw JSON bytes: they
 * are validated and sliced out of the input, never parsed into a tree and never re-serialised.
 */
package io.playconnect.core.codec;

/**
 * Who a connection is and what it may do: {@link io.playconnect.edge.auth.TokenVerifier} turns a
 * token into a {@link io.playconnect.edge.auth.Principal} whose room patterns carry
 * {@link io.playconnect.edge.auth.Scope}s. Two verifiers: {@link io.playconnect.edge.auth.JwtTokenVerifier}
 * (HS256, RS256/ES256 from a PEM key or a JWKS URL, with nimbus-jose-jwt) and
 * {@link io.playconnect.edge.auth.HttpAuthCallout} (asks the application's auth service). Failures
 * are {@link io.playconnect.core.SyncException}s with a typed code. Depends on core, nimbus-jose-jwt,
 * Jackson and the JDK HTTP client; nothing protocol-specific.
 */
package io.playconnect.edge.auth;
